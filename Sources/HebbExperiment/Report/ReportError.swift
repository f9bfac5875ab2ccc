/// Problems reading finished runs for `hebb report` and `hebb search`. One line each.
public enum ReportError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A folder given on the command line does not exist or is not a folder.
    case missingFolder(String)
    /// A folder holds no run (no summary.json anywhere below it).
    case noRuns(String)
    /// A run file (summary.json, config.json, metrics.jsonl) cannot be read or parsed.
    case badFile(path: String, reason: String)

    /// One line: what, where, hint.
    public var description: String {
        switch self {
        case .missingFolder(let path):
            return "no folder '\(path)' (give run folders or a search's runs, e.g. <data-root>/hebb/result/network/<folder-name>)"
        case .noRuns(let path):
            return "no runs under '\(path)': no summary.json below it (finished runs write one; pass <data-root>/hebb/result/network/<name>)"
        case .badFile(let path, let reason):
            return "bad run file \(path): \(reason) (re-run that trial, or move its folder out of the way)"
        }
    }
}
