import HebbText

/// A finished run read back from its folder: summary.json, config.json (the run record, when
/// present) and the final measures.
public struct RunResult: Sendable {
    /// The run folder.
    public var folder: URL
    /// summary.json.
    public var summary: TrainingSummary
    /// config.json, when the folder has one.
    public var record: RunRecord?
    /// Final measures by SoftHebb's names (`RunResult.measureNames`); absent when the run has none.
    public var measures: [String: Double]

    /// Measure names in table order: the final test figures from summary.json, the last
    /// training figures, convergence and R1 of metrics.jsonl, and the wall time.
    public static let measureNames = ["test_acc", "test_loss", "train_acc", "train_loss", "convergence", "R1", "seconds"]

    /// The seed that tells this run apart from its repeats: the unsupervised seed when the
    /// summary records one, else the weight-init seed.
    public var seed: Int { summary.unsupervisedSeed ?? summary.seed }

    /// Loads the run in `folder` (which must hold summary.json).
    public static func load(_ folder: URL) throws(ReportError) -> RunResult {
        let summaryFile = folder.appendingPathComponent("summary.json")
        let summary: TrainingSummary = try decode(TrainingSummary.self, summaryFile, what: "a hebb run summary")
        var record: RunRecord?
        let configFile = folder.appendingPathComponent("config.json")
        if FileManager.default.fileExists(atPath: configFile.path) {
            record = try decode(RunRecord.self, configFile, what: "a hebb run record")
        }
        var measures: [String: Double] = [
            "test_acc": Double(summary.testAccuracy), "test_loss": Double(summary.testLoss), "seconds": summary.seconds,
        ]
        let metricsFile = folder.appendingPathComponent("metrics.jsonl")
        if let text = try? String(contentsOf: metricsFile, encoding: .utf8) {
            for (number, line) in text.split(separator: "\n").enumerated() {
                guard let epoch = try? GuardedJSON.decode(EpochRecord.self, from: Data(line.utf8)) else {
                    throw .badFile(path: metricsFile.path, reason: "line \(number + 1) is not an epoch record")
                }
                // Later epochs overwrite earlier ones: the last value of each measure wins.
                if let value = epoch.trainAccuracy { measures["train_acc"] = Double(value) }
                if let value = epoch.trainLoss { measures["train_loss"] = Double(value) }
                if let value = epoch.convergence { measures["convergence"] = Double(value) }
                if let value = epoch.r1 { measures["R1"] = Double(value) }
            }
        }
        return RunResult(folder: folder, summary: summary, record: record, measures: measures)
    }

    /// Every run folder at or below `folder` (folders holding summary.json), sorted by path.
    public static func find(under folder: URL) throws(ReportError) -> [URL] {
        guard isFolder(atPath: folder.path) == true else {
            throw .missingFolder(folder.path)
        }
        guard let paths = try? FileManager.default.subpathsOfDirectory(atPath: folder.path) else {
            throw .missingFolder(folder.path)
        }
        let folders = paths.filter { PathText.lastComponent($0) == "summary.json" }.map {
            folder.appendingPathComponent($0).deletingLastPathComponent()
        }
        return folders.sorted { $0.path < $1.path }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ url: URL, what: String) throws(ReportError) -> T {
        guard let data = try? Data(contentsOf: url) else { throw .badFile(path: url.path, reason: "it cannot be read") }
        guard let value = try? GuardedJSON.decode(type, from: data) else {
            throw .badFile(path: url.path, reason: "it is not \(what)")
        }
        return value
    }
}
