import HebbText
import HebbTensor

extension SearchSpace {
    /// Names of the built-in spaces (SoftHebb's ray_search configs), sorted.
    public static var builtinNames: [String] { BuiltinSearchSpaces.json.keys.sorted() }

    /// A built-in space by name.
    ///
    /// Unlike SoftHebb, which silently runs the 4-seed grid for any unknown name (quirk 34: the
    /// README's `1`, `2`, `3a`, `3b`), an unknown name is an error with the nearest name.
    public static func builtin(_ name: String) throws(SearchError) -> SearchSpace {
        guard let json = BuiltinSearchSpaces.json[name] else {
            let hint = EditDistance.closest(to: name, among: builtinNames).map { "did you mean '\($0)'? " } ?? ""
            throw .unknownSpace(name, hint: "\(hint)built-in: \(builtinNames.joined(separator: ", ")); or give a JSON file such as presets/search/radius.json")
        }
        return try SearchSpace(json: Data(json.utf8), name: name, source: "'\(name)' (built-in)")
    }

    /// `--config NAME|FILE.json`: a path (it ends in `.json` or contains `/`) is read as a
    /// space file, anything else names a built-in space.
    public static func load(_ nameOrFile: String) throws(SearchError) -> SearchSpace {
        guard nameOrFile.hasSuffix(".json") || nameOrFile.contains("/") else { return try builtin(nameOrFile) }
        let url = URL(fileURLWithPath: nameOrFile)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .badSpace(source: url.path, reason: "it cannot be read", hint: "check the path, or name a built-in space: \(builtinNames.joined(separator: ", "))")
        }
        return try SearchSpace(json: data, name: url.deletingPathExtension().lastPathComponent, source: url.path)
    }
}
