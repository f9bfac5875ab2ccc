/// Problems with presets, layer strings and block definitions.
public enum ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A layer string could not be parsed.
    case badLayerString(String, reason: String, hint: String)
    /// No preset of that name.
    case unknownPreset(String, hint: String)
    /// The presets file is malformed.
    case badPresetFile(path: String, reason: String)
    /// A block field is malformed.
    case badBlock(preset: String, block: Int, reason: String)
    /// A valid configuration this build cannot run yet.
    case unsupported(String, hint: String)

    /// One line: what, where, hint.
    public var description: String {
        switch self {
        case .badLayerString(let s, let reason, let hint):
            return "bad layer string '\(s)': \(reason) (\(hint))"
        case .unknownPreset(let name, let hint):
            return "unknown preset '\(name)' (\(hint))"
        case .badPresetFile(let path, let reason):
            return "bad presets file \(path): \(reason) (fix the JSON or pass --presets FILE)"
        case .badBlock(let preset, let block, let reason):
            return "preset '\(preset)' block b\(block): \(reason)"
        case .unsupported(let what, let hint):
            return "\(what) is not supported by this build (\(hint))"
        }
    }
}

/// Closest-candidate lookup by Levenshtein distance, for "did you mean" hints.
public enum Suggestion {
    /// The closest candidate within max(2, ⌊|word|/3⌋) edits, compared case-insensitively.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit else { return nil }
        return best.0
    }

    /// Levenshtein edit distance.
    public static func distance(_ a: String, _ b: String) -> Int {
        let (x, y) = (Array(a), Array(b))
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + [Int](repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
