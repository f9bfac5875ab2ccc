import HebbExperiment
import HebbText

/// `hebb view RUN`: the weight mosaic of a saved run plus its metric plots, as one PNG.
enum ViewCommand {
    static let options: [OptionSpec] = [
        .value("block", metavar: "N", help: "block to draw (default: the first Hebbian block)"),
        .value("out", metavar: "FILE", help: "PNG to write (default <run>/pictures/view-b<N>.png)"),
        .value("data-root", metavar: "DIR", help: "where model names are looked up (default $HEBB_DATA, else ~/hebb-data)"),
        .flag("help", help: "show this help"),
    ]

    static func run(_ arguments: [String], environment: [String: String], stdout: (String) -> Void) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(
                command: "hebb view RUN",
                summary: "Draw a saved run: RUN is a run folder (…/hebb/result/network/<name>) or a model name under the data root. Writes the checkpoint's weight mosaic (one tile per unit or filter, blue = negative, white = 0, red = positive, each tile scaled by its own max |w|) above plots of metrics.jsonl.",
                options: options))
            return CLI.ExitCode.success
        }
        guard let run = parsed.positionals.first else { throw CLIError.missingArgument("RUN", hint: "give a run folder or a model name: hebb view 2SoftMlpMNIST") }
        if let extra = parsed.positionals.dropFirst().first { throw CLIError.unexpectedArgument(extra) }
        var block: Int?
        if let text = parsed.value("block") {
            guard let value = Int(text), value >= 0 else { throw CLIError.invalidValue(option: "--block", value: text, expected: "a block index such as 0") }
            block = value
        }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        let root = parsed.value("data-root") ?? environment["HEBB_DATA"] ?? PathText.appending("hebb-data", to: home)
        let result = try RunView.render(run: run, dataRoot: root, block: block, output: parsed.value("out"))
        stdout("\(result.caption); \(result.epochs) epoch record(s) plotted")
        stdout("picture: \(result.file.path) (\(result.width)×\(result.height))")
        return CLI.ExitCode.success
    }
}
