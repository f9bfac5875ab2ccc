import HebbText

/// The per-epoch measure files of a run folder besides metrics.jsonl: `metrics.csv` (one row per
/// epoch, the last trained Hebbian block's Info figures) and `neurons-b<i>.csv` (every unit of
/// Hebbian block i after its latest epoch).
public enum MetricsFiles {
    /// Units of each neuron table kept in metrics.jsonl: SoftHebb prints the first 20 (linear) or
    /// 30 (conv); the full table goes to `neurons-b<i>.csv`.
    public static let unitsInLog = 30

    /// Column names of metrics.csv.
    public static let csvHeader = [
        "phase", "kind", "blocks", "epoch", "epochs", "lr", "train_loss", "train_acc", "test_loss", "test_acc",
        "convergence", "R1", "MW", "SW", "MR", "SR", "MeD", "MaD", "hebbian_share", "anti_hebbian_percent", "unit_convergence",
        "activation_mean", "activation_std", "positive_activations", "seconds",
    ].joined(separator: ",")

    /// metrics.csv path.
    public static func csvFile(in folder: URL) -> URL { folder.appendingPathComponent("metrics.csv") }

    /// The full neuron table path of block `block`.
    public static func neuronFile(in folder: URL, block: Int) -> URL { folder.appendingPathComponent("neurons-b\(block).csv") }

    /// One metrics.csv row for `record` (empty cells for absent measures).
    public static func csvRow(_ record: EpochRecord) -> String {
        let number = { (x: Float?) in x.map { String(describing: $0) } ?? "" }
        let last = record.hebbian?.last
        let cells: [String] = [
            String(record.phase), record.kind.rawValue, record.blocks.map(String.init).joined(separator: " "),
            String(record.epoch), String(record.epochs), number(record.learningRate), number(record.trainLoss),
            number(record.trainAccuracy), number(record.testLoss), number(record.testAccuracy), number(record.convergence),
            record.r1.map(String.init) ?? "", number(last?.meanWeight), number(last?.weightStd), number(last?.meanRadius),
            number(last?.radiusStd), number(last?.meanDeviation), number(last?.maxDeviation), number(last?.hebbianShare),
            number(last?.antiHebbianPercent), number(last?.unitConvergence), number(last?.activationMean),
            number(last?.activationStd), number(last?.positiveActivations), cFormat("%.3f", record.seconds),
        ]
        return cells.joined(separator: ",")
    }

    /// The full neuron table of `measures` as CSV: unit, lr, radius, win_percent, anti_hebbian_percent.
    public static func neuronCSV(_ measures: BlockMeasures) -> String {
        let table = measures.neurons
        var lines = ["unit,lr,radius,win_percent,anti_hebbian_percent"]
        for unit in table.radii.indices {
            let win = unit < table.winPercent.count ? String(describing: table.winPercent[unit]) : ""
            let anti = table.antiHebbianPercent.map { String(describing: $0[unit]) } ?? ""
            lines.append("\(unit),\(table.learningRates[unit]),\(table.radii[unit]),\(win),\(anti)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `record` with every neuron table cut to its first `unitsInLog` units (for metrics.jsonl).
    public static func logged(_ record: EpochRecord) -> EpochRecord {
        var copy = record
        copy.hebbian = record.hebbian?.map { measures in
            var m = measures
            let n = unitsInLog
            m.neurons = NeuronTable(
                learningRates: Array(m.neurons.learningRates.prefix(n)), radii: Array(m.neurons.radii.prefix(n)),
                winPercent: Array(m.neurons.winPercent.prefix(n)), antiHebbianPercent: m.neurons.antiHebbianPercent.map { Array($0.prefix(n)) })
            return m
        }
        return copy
    }

    /// Appends `record` to metrics.jsonl and metrics.csv (header first in a new CSV) and rewrites
    /// the neuron tables of its Hebbian blocks; every write is atomic.
    public static func append(_ record: EpochRecord, store: RunStore) throws {
        let line = String(decoding: try JSONEncoder().encode(logged(record)), as: UTF8.self)
        try AtomicFile.appendLine(line, to: store.metricsFile)
        let csv = csvFile(in: store.networkFolder)
        // The size is a UInt: without full Foundation, `as? Int` no longer bridges it and fails.
        let size = (try? FileManager.default.attributesOfItem(atPath: csv.path))?[.size] as? UInt
        if (size ?? 0) == 0 {  // missing or empty: a new CSV starts with its header
            try AtomicFile.appendLine(csvHeader, to: csv)
        }
        try AtomicFile.appendLine(csvRow(record), to: csv)
        for measures in record.hebbian ?? [] {
            try AtomicFile.write(Data(neuronCSV(measures).utf8), to: neuronFile(in: store.networkFolder, block: measures.block))
        }
    }

    /// Keeps the first `lines` records of both logs (a resumed run redoes what came after its
    /// checkpoint), or deletes both (a fresh run); returns the records kept.
    public static func restart(keeping lines: Int?, store: RunStore) throws -> Int {
        let csv = csvFile(in: store.networkFolder)
        guard let lines else {
            try? FileManager.default.removeItem(at: store.metricsFile)
            try? FileManager.default.removeItem(at: csv)
            return 0
        }
        let kept = try AtomicFile.keepLines(lines, of: store.metricsFile)
        if FileManager.default.fileExists(atPath: csv.path) { _ = try AtomicFile.keepLines(kept + 1, of: csv) }
        return kept
    }
}
