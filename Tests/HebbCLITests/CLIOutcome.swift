/// What one in-process `CLI.run` returned and printed.
struct CLIOutcome {
    var code: Int32
    var stdout: [String]
    var stderr: [String]
    /// The first stderr line (the one-line error, if any).
    var errorLine: String { stderr.first ?? "" }
}
