import HebbText

/// A trial and what its run folder holds.
public struct TrialRow: Sendable {
    /// The planned trial.
    public var trial: PlannedTrial
    /// `ok`, `failed (exit N)`, `missing` (no summary.json yet) or `unreadable (…)`.
    public var status: String
    /// The finished run, when status is `ok`.
    public var result: RunResult?
}

/// The trials table of a search (`hebb/search/<folder>/trials.csv`) and its best trial.
public enum TrialTable {
    /// The table's file name in the search folder.
    public static let fileName = "trials.csv"

    /// Reads every trial's run folder. With `outcomes` (a local run), a trial that exited
    /// non-zero is `failed` whatever its folder holds.
    public static func rows(_ plan: SearchPlan, outcomes: [Int: TrialPool.Outcome]? = nil) -> [TrialRow] {
        plan.trials.map { trial in
            if let status = outcomes?[trial.index]?.status, status != 0 {
                return TrialRow(trial: trial, status: "failed (exit \(status))", result: nil)
            }
            let folder = RunStore(dataRoot: plan.dataRoot, modelName: trial.modelName).networkFolder
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary.json").path) else {
                return TrialRow(trial: trial, status: "missing", result: nil)
            }
            do {
                return TrialRow(trial: trial, status: "ok", result: try RunResult.load(folder))
            } catch {
                return TrialRow(trial: trial, status: "unreadable (\(error))", result: nil)
            }
        }
    }

    /// The finished trial with the best `metric` (lowest loss, else highest) and its value;
    /// ties go to the lower index.
    public static func best(_ rows: [TrialRow], metric: SearchMetric) -> (row: TrialRow, value: Double)? {
        var best: (row: TrialRow, value: Double)?
        for row in rows {
            guard let value = row.result?.measures[metric.rawValue], value.isFinite else { continue }
            if let current = best, metric.minimises ? value >= current.value : value <= current.value { continue }
            best = (row, value)
        }
        return best
    }

    /// CSV: trial, model name, status, one column per parameter, then every measure.
    public static func csv(_ rows: [TrialRow], plan: SearchPlan) -> String {
        let header = ["trial", "model_name", "status"] + plan.parameters + RunResult.measureNames
        var lines = [header.map(ReportTable.csvField).joined(separator: ",")]
        for row in rows {
            var fields = [String(row.trial.index), row.trial.modelName, row.status]
            fields += plan.parameters.map { name in row.trial.assignments.first { $0.name == name }.map { "\($0.value)" } ?? "" }
            fields += RunResult.measureNames.map { name in row.result?.measures[name].map(ReportTable.number) ?? "" }
            lines.append(fields.map(ReportTable.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `seed=2 b0.radius=0.107` for messages.
    public static func describe(_ trial: PlannedTrial) -> String {
        trial.assignments.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }
}
