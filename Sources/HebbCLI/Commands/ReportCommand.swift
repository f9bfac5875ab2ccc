import HebbText
import HebbExperiment

/// `hebb report DIR…`: mean ± sample std per configuration over the runs under the folders.
enum ReportCommand {
    static let options: [OptionSpec] = [
        .value("csv", metavar: "FILE", help: "also write the table as CSV (mean, std and n per measure)"),
        .value("markdown", metavar: "FILE", help: "also write the Markdown table to FILE"),
        .flag("help", help: "show this help"),
    ]

    static func run(_ arguments: [String], stdout: (String) -> Void) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(
                command: "hebb report DIR…",
                summary: "Read every run (summary.json, config.json, metrics.jsonl) below the folders, group runs that differ only by seed, and print mean ±std (sample std, n runs) of each measure per configuration as Markdown.",
                options: options))
            return CLI.ExitCode.success
        }
        guard !parsed.positionals.isEmpty else {
            throw CLIError.missingOption("DIR (a folder of runs, e.g. <data-root>/hebb/result/network/<folder-name>)")
        }
        let runs = try RunReport.collect(parsed.positionals.map { URL(fileURLWithPath: $0) })
        let rows = RunReport.rows(runs)
        let markdown = ReportTable.markdown(rows)
        // Everything is computed before any file is written.
        if let path = parsed.value("csv") { try AtomicFile.write(Data(ReportTable.csv(rows).utf8), to: URL(fileURLWithPath: path)) }
        if let path = parsed.value("markdown") { try AtomicFile.write(Data(markdown.utf8), to: URL(fileURLWithPath: path)) }
        for line in markdown.split(separator: "\n") { stdout(String(line)) }
        stdout("\(runs.count) runs in \(rows.count) configurations; ± is the sample standard deviation over the n runs")
        return CLI.ExitCode.success
    }
}
