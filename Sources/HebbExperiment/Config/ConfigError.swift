import HebbData

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
    /// A `--set` override that does not parse or does not fit the model.
    case badOverride(String, reason: String, hint: String)

    /// One line: what, where, hint (line breaks in quoted strings are escaped).
    public var description: String { message.escapingControlCharacters }

    /// The message before escaping.
    private var message: String {
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
        case .badOverride(let text, let reason, let hint):
            return "bad override '\(text)' (--set): \(reason) (\(hint))"
        }
    }
}
