import HebbExperiment
import HebbText

/// `hebb search`: SoftHebb's ray_search (spec §5.4) as plain `hebb train` trials, run by a local
/// pool, GNU parallel or a Slurm array.
enum SearchCommand {
    static let options: [OptionSpec] = [
        .value("preset", metavar: "NAME|LAYERS", help: "preset or layer strings every trial trains"),
        .value("dataset-unsup", metavar: "KEY", help: "dataset for Hebbian phases (default MNIST)"),
        .value("dataset-sup", metavar: "KEY", help: "dataset for supervised phases and evaluation (default MNIST)"),
        .value("training-mode", metavar: "MODE", help: "successive (default), consecutive or simultaneous"),
        .value("training-blocks", metavar: "I,J", help: "train only these blocks (default all)"),
        .value("config", metavar: "NAME|FILE.json", help: "search space: seed (default), one_seed, radius, regimes, or a JSON file"),
        .value("num-samples", metavar: "N", help: "passes over the grid; sampled parameters are drawn afresh each (default 1)"),
        .value("sample-seed", metavar: "N", help: "seed of the sampled parameters (default 0)"),
        .value("metric", metavar: "NAME", help: "rank by train_loss, train_acc, test_loss, test_acc (default), convergence or R1"),
        .value("folder-name", metavar: "NAME", help: "search name: runs <folder>/tNNN, table in hebb/search/<folder> (default CONFIG-PRESET)"),
        .value("data-root", metavar: "DIR", help: "results and datasets root (default $HEBB_DATA, else ~/hebb-data)"),
        .value("datasets", metavar: "DIR", help: "datasets folder passed to every trial"),
        .value("presets", metavar: "FILE", help: "presets JSON file passed to every trial"),
        .value("validation", metavar: "BOOL", help: "every trial holds out 20 % of both training sets (default false)"),
        .value("validation-sup", metavar: "BOOL", help: "every trial holds out 20 % of the supervised training set"),
        .value("validation-unsup", metavar: "BOOL", help: "every trial holds out 20 % of the unsupervised training set"),
        .value("resume", metavar: "WHAT", help: "all or without_classifier, passed to every trial"),
        .value("threads", metavar: "N", help: "OpenBLAS threads per trial (default with --jobs N: cores / N)"),
        .repeated("set", metavar: "bI.KEY=VALUE", help: "override every trial's layer setting, before the space's own"),
        .value("jobs", metavar: "N", help: "run the trials here, N at a time (default 1)"),
        .value("hebb", metavar: "PATH", help: "hebb executable the trials run (default $HEBB_BINARY, else this program)"),
        .value("emit", metavar: "KIND", help: "parallel (jobs.txt for GNU parallel) or slurm (sbatch array script); runs nothing"),
        .repeated("sbatch", metavar: "OPTION", help: "extra #SBATCH line for --emit slurm, e.g. --sbatch=--time=2:00:00"),
        .flag("dry-run", help: "print the trial commands and exit; writes nothing"),
        .flag("collect", help: "read the runs of an emitted search: write its trials table and print the best trial"),
        .flag("help", help: "show this help"),
    ]

    static func run(
        _ arguments: [String], environment: [String: String], stdout: (String) -> Void, stderr: (String) -> Void
    ) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(
                command: "hebb search",
                summary: "Expand a search space into `hebb train` trials (model names <folder>/tNNN); run them here (--jobs), or write them for GNU parallel or Slurm (--emit). Then `hebb report <data-root>/hebb/result/network/<folder>`.",
                options: options))
            return CLI.ExitCode.success
        }
        if let extra = parsed.positionals.first { throw CLIError.unexpectedArgument(extra) }
        let dataRoot = absolute(parsed.value("data-root") ?? environment["HEBB_DATA"]
            ?? PathText.appending("hebb-data", to: environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path))
        let metric = try parsed.value("metric").map(parseMetric)
        let executable = HebbExecutable.locate(option: parsed.value("hebb"), environment: environment)
        if parsed.flag("collect") {
            if let name = ["preset", "emit", "dry-run", "jobs", "config"].first(where: { parsed.values[$0] != nil }) {
                throw SearchError.badRequest(
                    "--\(name) cannot be combined with --collect", hint: "--collect only reads a finished search: give --folder-name, --data-root and --metric")
            }
            let folderName = try parsed.required("folder-name")
            return try SearchRun.collect(folderName: folderName, dataRoot: dataRoot, metric: metric, stdout: stdout)
        }
        var request = try makeRequest(parsed, dataRoot: dataRoot)
        if let metric { request.metric = metric }
        let plan = try SearchPlan.make(request)
        if parsed.flag("dry-run") {
            for trial in plan.trials { stdout(JobScripts.commandLine(trial, executable: executable ?? "hebb")) }
            return CLI.ExitCode.success
        }
        let sbatch = parsed.values("sbatch")
        if let bad = sbatch.first(where: { $0.contains(where: \.isNewline) || !$0.hasPrefix("-") }) {
            throw CLIError.invalidValue(option: "--sbatch", value: bad, expected: "one sbatch option such as --time=2:00:00")
        }
        if let kind = parsed.value("emit") {
            guard ["parallel", "slurm"].contains(kind) else { throw CLIError.invalidValue(option: "--emit", value: kind, expected: "parallel or slurm") }
            if parsed.values["jobs"] != nil {
                throw SearchError.badRequest("--jobs cannot be combined with --emit", hint: "give GNU parallel its own --jobs, or drop --emit to run the trials here")
            }
            return try SearchRun.emit(plan, request: request, kind: kind, executable: executable ?? "hebb", sbatch: sbatch, stdout: stdout)
        }
        let jobs = try parsed.integer("jobs") ?? 1
        guard let executable else {
            throw SearchError.missingExecutable(
                "cannot find the hebb executable to run the trials",
                hint: "pass --hebb PATH or set HEBB_BINARY, e.g. --hebb .build/release/hebb; or use --emit parallel")
        }
        return try SearchRun.local(plan, request: request, jobs: jobs, executable: executable, environment: environment, stdout: stdout, stderr: stderr)
    }

    /// The typed request; the space comes from `--config` (default `seed`).
    static func makeRequest(_ parsed: ParsedArguments, dataRoot: String) throws -> SearchRequest {
        let preset = try parsed.required("preset")
        let configName = parsed.value("config") ?? "seed"
        let space = try SearchSpace.load(configName)
        let folder = parsed.value("folder-name") ?? SearchRequest.defaultFolderName(space: space.name, preset: preset)
        var request = SearchRequest(preset: preset, space: space, folderName: folder, dataRoot: dataRoot)
        request.unsupervisedDataset = parsed.value("dataset-unsup") ?? "MNIST"
        request.supervisedDataset = parsed.value("dataset-sup") ?? "MNIST"
        request.datasetsDirectory = parsed.value("datasets").map(absolute)
        request.presetsFile = parsed.value("presets").map(absolute)
        // The shared train options parse exactly as `hebb train` parses them.
        var shared = ParsedArguments()
        for name in ["preset", "training-mode", "training-blocks", "resume", "validation", "validation-sup", "validation-unsup"] { shared.values[name] = parsed.values[name] }
        let train = try TrainCommand.makeRequest(shared, environment: ["HOME": "/"])
        (request.mode, request.trainingBlocks, request.resume) = (train.mode, train.trainingBlocks, train.resume)
        (request.validationSupervised, request.validationUnsupervised) = (train.validationSupervised, train.validationUnsupervised)
        request.threads = try parsed.integer("threads")
        request.samples = try parsed.integer("num-samples") ?? 1
        if let text = parsed.value("sample-seed") {
            guard let seed = UInt64(text) else { throw CLIError.invalidValue(option: "--sample-seed", value: text, expected: "a non-negative integer") }
            request.sampleSeed = seed
        }
        request.overrides = try parsed.values("set").map { try LayerOverride.parse($0) }
        return request
    }

    static func parseMetric(_ text: String) throws -> SearchMetric {
        guard let metric = SearchMetric(rawValue: text) else {
            throw CLIError.invalidValue(option: "--metric", value: text, expected: SearchMetric.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return metric
    }

    /// `path` made absolute against the current folder (trials may run elsewhere).
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
