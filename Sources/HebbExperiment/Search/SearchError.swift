/// Problems with searches: spaces, plans, trials. One line each, naming the thing and a hint.
public enum SearchError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No built-in space of that name (and it is not a JSON file).
    case unknownSpace(String, hint: String)
    /// A space file or built-in definition is malformed.
    case badSpace(source: String, reason: String, hint: String)
    /// A search option is inconsistent.
    case badRequest(String, hint: String)
    /// The hebb executable that runs trials cannot be found.
    case missingExecutable(String, hint: String)
    /// A trial plan file (trials.json) is missing or malformed.
    case badPlan(path: String, reason: String)

    /// One line: what, where, hint.
    public var description: String {
        switch self {
        case .unknownSpace(let name, let hint):
            return "unknown search space '\(name)' (\(hint))"
        case .badSpace(let source, let reason, let hint):
            return "bad search space \(source): \(reason) (\(hint))"
        case .badRequest(let reason, let hint):
            return "\(reason) (\(hint))"
        case .missingExecutable(let reason, let hint):
            return "\(reason) (\(hint))"
        case .badPlan(let path, let reason):
            return "bad search plan \(path): \(reason) (run the search again with --emit or without it to rewrite it)"
        }
    }
}
