import HebbText
import HebbVisual

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TensorBoard event file of one `hebb train` invocation,
/// `tensorboard/events.out.tfevents.<unix time>.<host>` (a `.N` suffix when that name exists,
/// e.g. a resume within the same second). Records are appended through `AtomicFile`, so the file
/// always ends with a whole record.
struct TensorBoardLog {
    /// The event file.
    let file: URL

    /// Creates the file in `folder` with its `brain.Event:2` version record.
    init(folder: URL, now: Date = Date()) throws {
        let base = "events.out.tfevents.\(Int(now.timeIntervalSince1970)).\(TensorBoardLog.hostName())"
        var name = base
        var counter = 1
        while FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            name = "\(base).\(counter)"
            counter += 1
        }
        file = folder.appendingPathComponent(name)
        try AtomicFile.write(Data(TensorBoardEvent.versionRecord(wallTime: now.timeIntervalSince1970)), to: file)
    }

    /// Appends one event of `values` at `step`.
    func append(_ values: [SummaryValue], step: Int, now: Date = Date()) throws {
        guard !values.isEmpty else { return }
        try AtomicFile.append(Data(TensorBoardEvent.summaryRecord(values, step: step, wallTime: now.timeIntervalSince1970)), to: file)
    }

    /// This machine's name (characters other than letters, digits, `-` and `.` replaced by `_`).
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let cleaned = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        return cleaned.isEmpty ? "localhost" : cleaned
    }

    /// The scalars of one epoch record: `<phase kind>/{accuracy,loss}_{train,test}` and
    /// `<phase kind>/learning_rate`, and for the phase's last Hebbian block `hebbianBlock`
    /// `b<i>/{convergence,r1,mean_radius}`.
    static func scalars(of record: EpochRecord, hebbianBlock: Int?) -> [SummaryValue] {
        let kind = record.kind.rawValue
        var values: [(String, Float?)] = [
            ("\(kind)/learning_rate", record.learningRate),
            ("\(kind)/accuracy_train", record.trainAccuracy), ("\(kind)/accuracy_test", record.testAccuracy),
            ("\(kind)/loss_train", record.trainLoss), ("\(kind)/loss_test", record.testLoss),
        ]
        if let block = hebbianBlock {
            values += [
                ("b\(block)/convergence", record.convergence), ("b\(block)/r1", record.r1.map(Float.init)),
                ("b\(block)/mean_radius", record.meanRadius),
            ]
        }
        return values.compactMap { tag, value in value.map { SummaryValue.scalar(tag: tag, value: $0) } }
    }
}
