import HebbExperiment
import HebbText

/// What `hebb search` does with a plan: write job files, run it here, or collect its results.
enum SearchRun {
    /// Writes the plan and a GNU parallel job file or a Slurm array script into the search folder.
    static func emit(
        _ plan: SearchPlan, request: SearchRequest, kind: String, executable: String, sbatch: [String], stdout: (String) -> Void
    ) throws -> Int32 {
        let folder = request.searchFolder
        let text: String, file: URL
        if kind == "parallel" {
            (text, file) = (JobScripts.parallelJobs(plan, executable: executable), folder.appendingPathComponent("jobs.txt"))
        } else {
            let logs = folder.appendingPathComponent("logs", isDirectory: true)
            try AtomicFile.checkWritable(logs)  // Slurm writes its output files there
            text = JobScripts.slurmScript(plan, executable: executable, logFolder: logs, extraOptions: sbatch)
            file = folder.appendingPathComponent("slurm.sh")
        }
        try AtomicFile.write(RunStore.json(plan), to: folder.appendingPathComponent(SearchPlan.fileName))
        try AtomicFile.write(Data(text.utf8), to: file)
        if kind == "slurm" { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path) }
        stdout("\(plan.trials.count) trials of space '\(plan.space)' written to \(file.path)")
        stdout(kind == "parallel" ? "run them:     parallel --jobs 2 < \(JobScripts.quote(file.path))" : "submit them:  sbatch \(JobScripts.quote(file.path))")
        stdout("then:         \(collectCommand(plan))")
        stdout("and:          hebb report \(JobScripts.quote(request.runsFolder.path))")
        return CLI.ExitCode.success
    }

    /// Runs every trial here, `jobs` at a time, then writes the table and prints the best trial.
    static func local(
        _ plan: SearchPlan, request: SearchRequest, jobs: Int, executable: String, environment: [String: String],
        stdout: (String) -> Void, stderr: (String) -> Void
    ) throws -> Int32 {
        guard let program = HebbExecutable.resolve(executable, environment: environment) else {
            throw SearchError.missingExecutable(
                "the hebb executable '\(executable)' is not an executable file",
                hint: "build it with 'swift build -c release --product hebb' and pass --hebb .build/release/hebb")
        }
        try SearchPlan.checkDatasets(request, environment: environment)
        let folder = request.searchFolder
        var childEnvironment = environment
        if request.threads == nil && jobs > 1 && childEnvironment["OPENBLAS_NUM_THREADS"] == nil {
            childEnvironment["OPENBLAS_NUM_THREADS"] = String(max(1, ProcessInfo.processInfo.activeProcessorCount / jobs))
        }
        let pool = TrialPool(executable: program, jobs: jobs, environment: childEnvironment, logFolder: folder.appendingPathComponent("logs"))
        try AtomicFile.write(RunStore.json(plan), to: folder.appendingPathComponent(SearchPlan.fileName))
        if request.resume == nil {
            // A summary left by an earlier search would pass for this trial's if it fails.
            for trial in plan.trials {
                try? FileManager.default.removeItem(at: RunStore(dataRoot: plan.dataRoot, modelName: trial.modelName).summaryFile)
            }
        }
        stdout("search '\(plan.folderName)': \(plan.trials.count) trials of space '\(plan.space)', \(jobs) at a time; logs in \(pool.logFolder.path)")
        let outcomes = try pool.run(plan.trials, started: { trial in
            stdout("[\(shortName(trial))] started: \(TrialTable.describe(trial))")
        }, finished: { trial, outcome in
            let time = cFormat("%.1f s", outcome.seconds)
            if outcome.status == 0 {
                let value = (try? RunResult.load(RunStore(dataRoot: plan.dataRoot, modelName: trial.modelName).networkFolder))?.measures[plan.metric.rawValue]
                stdout("[\(shortName(trial))] finished in \(time): \(plan.metric.rawValue) \(value.map { cFormat("%.4g", $0) } ?? "n/a")")
            } else {
                let log = pool.logFile(trial)
                let last = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? ""
                stderr("[\(shortName(trial))] failed with exit \(outcome.status) after \(time): \(last) (log: \(log.path))")
            }
        })
        return try finish(plan, rows: TrialTable.rows(plan, outcomes: outcomes), metric: plan.metric, stdout: stdout)
    }

    /// `--collect`: the table and best trial of a search whose trials ran elsewhere.
    static func collect(folderName: String, dataRoot: String, metric: SearchMetric?, stdout: (String) -> Void) throws -> Int32 {
        let folder = URL(fileURLWithPath: dataRoot).appendingPathComponent("hebb/search/\(folderName)")
        var plan = try SearchPlan.load(from: folder)
        if let metric { plan.metric = metric }
        return try finish(plan, rows: TrialTable.rows(plan), metric: plan.metric, stdout: stdout)
    }

    /// Writes trials.csv, prints the best trial; exit 1 when a trial did not finish.
    static func finish(_ plan: SearchPlan, rows: [TrialRow], metric: SearchMetric, stdout: (String) -> Void) throws -> Int32 {
        let folder = URL(fileURLWithPath: plan.dataRoot).appendingPathComponent("hebb/search/\(plan.folderName)")
        let table = folder.appendingPathComponent(TrialTable.fileName)
        try AtomicFile.write(Data(TrialTable.csv(rows, plan: plan).utf8), to: table)
        let finished = rows.filter { $0.status == "ok" }.count
        stdout("\(finished) of \(rows.count) trials finished; table: \(table.path)")
        for row in rows where row.status != "ok" { stdout("  \(shortName(row.trial)): \(row.status)") }
        let direction = metric.minimises ? "lowest" : "highest"
        if let best = TrialTable.best(rows, metric: metric) {
            let folder = RunStore(dataRoot: plan.dataRoot, modelName: best.row.trial.modelName).networkFolder.path
            stdout("best trial by \(metric.rawValue) (\(direction)): \(shortName(best.row.trial)) \(TrialTable.describe(best.row.trial)): \(metric.rawValue) \(cFormat("%.4g", best.value)) (\(folder))")
        } else {
            stdout("no finished trial has \(metric.rawValue)")
        }
        let runs = URL(fileURLWithPath: plan.dataRoot).appendingPathComponent("hebb/result/network/\(plan.folderName)").path
        stdout("mean ± std over seeds: hebb report \(JobScripts.quote(runs))")
        return finished == rows.count ? CLI.ExitCode.success : CLI.ExitCode.failure
    }

    /// `t003` for model name `<folder>/t003`.
    static func shortName(_ trial: PlannedTrial) -> String { PathText.lastComponent(trial.modelName) }

    static func collectCommand(_ plan: SearchPlan) -> String {
        "hebb search --collect --folder-name \(JobScripts.quote(plan.folderName)) --data-root \(JobScripts.quote(plan.dataRoot))"
    }
}
