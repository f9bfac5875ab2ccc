import HebbText

/// Markdown and CSV renderings of report rows.
public enum ReportTable {
    /// Decimals per measure: accuracies like SoftHebb's tables (80.31), losses and convergence
    /// to 4, R1 and seconds to 1.
    static func decimals(_ measure: String) -> Int {
        switch measure {
        case "test_acc", "train_acc": return 2
        case "R1", "seconds": return 1
        default: return 4
        }
    }

    /// `80.31 ±0.15`, or `80.31` for a single run.
    public static func format(_ statistics: MeasureStatistics, measure: String) -> String {
        let places = decimals(measure)
        let mean = cFormat("%.\(places)f", statistics.mean)
        guard let deviation = statistics.standardDeviation else { return mean }
        return mean + cFormat(" ±%.\(places)f", deviation)
    }

    /// Measures that at least one row has, in `RunResult.measureNames` order.
    static func columns(_ rows: [ReportRow]) -> [String] {
        RunResult.measureNames.filter { name in rows.contains { $0.statistics[name] != nil } }
    }

    /// A Markdown table: one row per configuration, one column per measure (mean ±std over n
    /// runs; std is the sample standard deviation).
    public static func markdown(_ rows: [ReportRow]) -> String {
        let measures = columns(rows)
        var lines = [
            "| configuration | dataset (unsup / sup) | n | seeds | " + measures.joined(separator: " | ") + " |",
            "|---|---|---|---|" + String(repeating: "---|", count: measures.count),
        ]
        for row in rows {
            let cells = measures.map { name in row.statistics[name].map { format($0, measure: name) } ?? "" }
            let escaped = row.label.replacing("|", with: "\\|")
            lines.append(
                "| \(escaped) | \(row.unsupervisedDataset) / \(row.supervisedDataset) | \(row.runs.count) | "
                    + row.seeds.map(String.init).joined(separator: ",") + " | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// CSV with a header: identification, then `<measure>_mean`, `<measure>_std`, `<measure>_n`
    /// for every measure, then the run folders (space-separated).
    public static func csv(_ rows: [ReportRow]) -> String {
        var header = ["configuration", "dataset_unsup", "dataset_sup", "mode", "n", "seeds"]
        for name in RunResult.measureNames { header += ["\(name)_mean", "\(name)_std", "\(name)_n"] }
        header.append("runs")
        var lines = [header.map(csvField).joined(separator: ",")]
        for row in rows {
            var fields = [
                row.label, row.unsupervisedDataset, row.supervisedDataset, row.mode.rawValue, String(row.runs.count),
                row.seeds.map(String.init).joined(separator: " "),
            ]
            for name in RunResult.measureNames {
                if let statistics = row.statistics[name] {
                    fields += [number(statistics.mean), statistics.standardDeviation.map(number) ?? "", String(statistics.count)]
                } else {
                    fields += ["", "", "0"]
                }
            }
            fields.append(row.runs.map(\.folder.path).joined(separator: " "))
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number with enough digits to read back.
    static func number(_ value: Double) -> String { cFormat("%.10g", value) }

    /// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
    public static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
