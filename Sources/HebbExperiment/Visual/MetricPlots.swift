import HebbData
import HebbText
import HebbVisual

/// Line plots of a run's metrics.jsonl: accuracy, loss, convergence, mean radius, R1 and
/// learning rate against the run's epoch count (all phases in order, phase changes dashed).
public enum MetricPlots {
    /// The records of `file` (empty when it does not exist); a line that is not an epoch record
    /// is an error naming the file and line.
    public static func read(_ file: URL) throws -> [EpochRecord] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw ViewError.badMetrics(path: file.path, line: 0, reason: "unreadable: \(DataError.readFailureReason(error))")
        }
        let decoder = JSONDecoder()
        return try text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            guard !String(line).trimmingWhitespace.isEmpty else { return nil }
            do { return try decoder.decode(EpochRecord.self, from: Data(line.utf8)) } catch {
                throw ViewError.badMetrics(path: file.path, line: index + 1, reason: "not an epoch record")
            }
        }
    }

    /// The six plots of `records`.
    public static func plots(_ records: [EpochRecord]) -> [LinePlot] {
        let palette = LinePlot.palette
        let markers = records.indices.dropFirst().filter { records[$0].phase != records[$0 - 1].phase }.map { Double($0) + 0.5 }
        // One piece per phase, so lines do not join measures of different phases (a Hebbian
        // phase's unit-label accuracy and the classifier's accuracy); only the first is named.
        func series(_ name: String, _ color: RGB, where include: (EpochRecord) -> Bool = { _ in true }, _ value: (EpochRecord) -> Float?) -> [PlotSeries] {
            var pieces: [Int: [PlotPoint]] = [:]
            for (index, record) in records.enumerated() where include(record) {
                guard let y = value(record) else { continue }
                pieces[record.phase, default: []].append(PlotPoint(x: Double(index + 1), y: Double(y)))
            }
            let ordered = pieces.keys.sorted().compactMap { pieces[$0] }
            let lines = ordered.enumerated().map { PlotSeries(name: $0.offset == 0 ? name : "", color: color, points: $0.element) }
            return lines.isEmpty ? [PlotSeries(name: name, color: color, points: [])] : lines
        }
        let domain = 0.5...(Double(max(1, records.count)) + 0.5)  // markers clear of the frame
        func plot(_ title: String, _ lines: [[PlotSeries]]) -> LinePlot {
            LinePlot(title: title, xLabel: "EPOCH (ALL PHASES)", series: lines.flatMap { $0 }, verticalMarkers: markers, xDomain: domain)
        }
        let hebbian = { (record: EpochRecord) in record.kind == .unsupervised }
        return [
            plot("ACCURACY %", [series("TRAIN", palette[0], \.trainAccuracy), series("TEST", palette[1], \.testAccuracy)]),
            plot("LOSS", [series("TRAIN", palette[0], \.trainLoss), series("TEST", palette[1], \.testLoss)]),
            plot("CONVERGENCE MEAN|R-1|", [series("HEBBIAN BLOCK", palette[2], \.convergence)]),
            plot("MEAN RADIUS", [series("HEBBIAN BLOCK", palette[3], \.meanRadius)]),
            plot("R1: UNITS |R-1|<0.005", [series("HEBBIAN BLOCK", palette[4], { $0.r1.map(Float.init) })]),
            plot("LEARNING RATE", [
                series("HEBBIAN", palette[2], where: hebbian, \.learningRate),
                series("ADAM", palette[0], where: { !hebbian($0) }, \.learningRate),
            ]),
        ]
    }

    /// The plots on one sheet, two per row.
    public static func sheet(_ records: [EpochRecord]) -> RasterImage {
        PictureSheet.grid(plots(records).map { $0.render() }, columns: 2)
    }
}
