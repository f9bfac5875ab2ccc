import HebbText

/// Mean, sample standard deviation (n − 1) and count of one measure over a row's runs.
public struct MeasureStatistics: Sendable, Equatable {
    /// Arithmetic mean.
    public var mean: Double
    /// Sample standard deviation; nil for a single run.
    public var standardDeviation: Double?
    /// Runs that have the measure.
    public var count: Int

    /// Statistics of `values` (at least one).
    public init(_ values: [Double]) {
        count = values.count
        mean = values.reduce(0, +) / Double(values.count)
        let mean = self.mean
        standardDeviation = values.count > 1
            ? (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot() : nil
    }
}

/// One configuration: runs that differ only by seed, and their statistics.
public struct ReportRow: Sendable {
    /// Preset, then what sets it apart (overrides, mode, trained blocks, validation).
    public var label: String
    /// Dataset keys.
    public var unsupervisedDataset: String, supervisedDataset: String
    /// Training mode.
    public var mode: TrainingMode
    /// The runs, in path order.
    public var runs: [RunResult]
    /// Statistics per measure name (only measures some run has).
    public var statistics: [String: MeasureStatistics]

    /// The runs' seeds, in run order.
    public var seeds: [Int] { runs.map(\.seed) }
}

/// `hebb report`: finished runs grouped by configuration (everything but the seeds), with mean ±
/// sample std of every measure — the layout of SoftHebb's results tables (spec §6).
public enum RunReport {
    /// Loads every run under `folders`; a folder without runs is an error naming it.
    public static func collect(_ folders: [URL]) throws(ReportError) -> [RunResult] {
        var runs: [RunResult] = []
        var seen = Set<String>()
        for folder in folders {
            let found = try RunResult.find(under: folder)
            guard !found.isEmpty else { throw .noRuns(folder.path) }
            for runFolder in found where seen.insert(runFolder.standardizedFileURL.path).inserted {
                runs.append(try RunResult.load(runFolder))
            }
        }
        return runs
    }

    /// Groups `runs` by configuration and computes the statistics; rows sorted by label.
    public static func rows(_ runs: [RunResult]) -> [ReportRow] {
        var groups: [String: [RunResult]] = [:]
        var order: [String] = []
        for run in runs {
            let key = configurationKey(run)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(run)
        }
        var rows: [(key: String, row: ReportRow)] = order.map { key in
            let members = groups[key] ?? []
            var statistics: [String: MeasureStatistics] = [:]
            for name in RunResult.measureNames {
                let values = members.compactMap { $0.measures[name] }
                if !values.isEmpty { statistics[name] = MeasureStatistics(values) }
            }
            let summary = members[0].summary
            return (key, ReportRow(
                label: label(members[0]), unsupervisedDataset: summary.unsupervisedDataset,
                supervisedDataset: summary.supervisedDataset, mode: summary.mode, runs: members, statistics: statistics))
        }
        rows.sort { ($0.row.label, $0.row.supervisedDataset, $0.key) < ($1.row.label, $1.row.supervisedDataset, $1.key) }
        // Configurations that read the same (e.g. one preset name from two presets files) get #2, #3…
        var uses: [String: Int] = [:]
        for index in rows.indices {
            let name = "\(rows[index].row.label)|\(rows[index].row.unsupervisedDataset)|\(rows[index].row.supervisedDataset)"
            uses[name, default: 0] += 1
            if uses[name]! > 1 { rows[index].row.label += " #\(uses[name]!)" }
        }
        return rows.map(\.row)
    }

    /// What must agree for two runs to be repeats: the resolved model and phase plan from
    /// config.json, the datasets, mode, validation and overrides (not the seeds).
    static func configurationKey(_ run: RunResult) -> String {
        struct Key: Encodable {
            var model: ResolvedModel?, phases: [Phase]?
            var preset: String, unsup: String, sup: String, mode: TrainingMode, validation: Bool, overrides: [String]
        }
        let summary = run.summary
        let key = Key(
            model: run.record?.model, phases: run.record?.phases, preset: summary.preset, unsup: summary.unsupervisedDataset,
            sup: summary.supervisedDataset, mode: summary.mode, validation: summary.validation, overrides: summary.overrides ?? [])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(key)).map { String(decoding: $0, as: UTF8.self) } ?? summary.preset
    }

    /// The preset, then the overrides, a mode other than successive, the trained blocks when not
    /// all of them, and `validation`.
    static func label(_ run: RunResult) -> String {
        let summary = run.summary
        var parts = [summary.preset]
        parts += summary.overrides ?? []
        if summary.mode != .successive { parts.append(summary.mode.rawValue) }
        if let record = run.record {
            let trained = Set(record.phases.flatMap(\.blocks)).sorted()
            if trained.count != record.model.blocks.count { parts.append("trained " + trained.map { "b\($0)" }.joined(separator: ",")) }
        }
        if summary.validation { parts.append("validation") }
        return parts.joined(separator: " ")
    }
}
