import HebbText
import HebbModel
import HebbTensor

/// A model: a name and its resolved blocks.
public struct ModelConfig: Codable, Sendable, Equatable {
    /// Preset name or the layer strings it came from.
    public var name: String
    /// Blocks, input first.
    public var blocks: [BlockConfig]
}

/// Model presets in SoftHebb's presets.json shape (`model` → name → `b0…bn`), resolved to typed
/// configs. `--preset` also takes layer strings joined by `+`, each optionally followed by
/// `:`-separated block attributes (`soft-c2000-t12:softmax_5+BP-c10:dropout0.5`).
public struct PresetLibrary: Sendable {
    /// Raw block objects per preset.
    private let models: [String: [[String: JSONValue]]]
    /// One-line description per preset.
    public let descriptions: [String: String]
    /// Where the presets came from.
    public let source: String

    /// Preset names, sorted.
    public var names: [String] { models.keys.sorted() }

    /// The presets shipped with hebb (an embedded copy of presets/presets.json).
    public static func builtin() throws(ConfigError) -> PresetLibrary {
        try PresetLibrary(json: Data(BuiltinPresets.json.utf8), source: "built-in presets")
    }

    /// The presets file at `path`, or the built-in presets when `path` is nil.
    public static func load(path: String?) throws(ConfigError) -> PresetLibrary {
        guard let path else { return try builtin() }
        return try load(from: URL(fileURLWithPath: path))
    }

    /// Loads a presets file.
    public static func load(from url: URL) throws(ConfigError) -> PresetLibrary {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .badPresetFile(path: url.path, reason: "cannot be read")
        }
        return try PresetLibrary(json: data, source: url.path)
    }

    /// Parses presets JSON.
    public init(json: Data, source: String) throws(ConfigError) {
        self.source = source
        guard let root = (try? GuardedJSON.decode(JSONValue.self, from: json))?.object,
            let modelSection = root["model"]?.object
        else { throw .badPresetFile(path: source, reason: "expected an object with a 'model' object") }
        var models: [String: [[String: JSONValue]]] = [:]
        var descriptions: [String: String] = [:]
        for (name, value) in modelSection {
            guard let entry = value.object else {
                throw .badPresetFile(path: source, reason: "preset '\(name)' is not an object")
            }
            descriptions[name] = entry["description"]?.string ?? ""
            var blocks: [[String: JSONValue]] = []
            for index in 0..<entry.count {
                guard let block = entry["b\(index)"]?.object else { break }
                blocks.append(block)
            }
            let blockKeys = entry.keys.filter { $0 != "description" }
            guard !blocks.isEmpty, blocks.count == blockKeys.count else {
                throw .badPresetFile(path: source, reason: "preset '\(name)' must have blocks b0…b\(max(0, blockKeys.count - 1)) and nothing else")
            }
            models[name] = blocks
        }
        self.models = models
        self.descriptions = descriptions
    }

    /// Resolves a preset name, or layer strings joined by `+`.
    public func resolve(_ nameOrLayers: String) throws(ConfigError) -> ModelConfig {
        if let blocks = models[nameOrLayers] {
            var resolved: [BlockConfig] = []
            for (index, raw) in blocks.enumerated() {
                resolved.append(try PresetLibrary.block(from: raw, preset: nameOrLayers, index: index))
            }
            return ModelConfig(name: nameOrLayers, blocks: resolved)
        }
        let first = nameOrLayers.split(whereSeparator: { "-:+".contains($0) }).first.map(String.init) ?? nameOrLayers
        let looksLikeLayers = LayerKind.allCases.contains { $0.rawValue.lowercased() == first.lowercased() }
        guard looksLikeLayers else {
            let hint = EditDistance.closest(to: nameOrLayers, among: names).map { "did you mean '\($0)'?" }
                ?? "run 'hebb presets' for the list, or give layer strings such as soft-c2000-t12+BP-c10"
            throw .unknownPreset(nameOrLayers, hint: hint)
        }
        var blocks: [BlockConfig] = []
        for (index, text) in nameOrLayers.split(separator: "+", omittingEmptySubsequences: false).enumerated() {
            var block = try PresetLibrary.block(fromLayerString: String(text), index: index)
            // An MLP block after a conv block flattens its input, as every SoftHebb preset does.
            if block.layer.arch == .mlp, blocks.last?.layer.arch == .cnn { block.operations.flatten = true }
            blocks.append(block)
        }
        return ModelConfig(name: nameOrLayers, blocks: blocks)
    }

    /// A block from a layer string with `:` attributes; the first MLP block flattens its input (and
    /// `resolve` flattens an MLP block that follows a conv block).
    static func block(fromLayerString text: String, index: Int) throws(ConfigError) -> BlockConfig {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let layerText = pieces[0]
        let arch = LayerString.impliedArchitecture(of: layerText)
        var block = BlockConfig(layer: try LayerString.parse(layerText, over: .defaults(for: arch)))
        block.operations.flatten = index == 0 && arch == .mlp
        for attribute in pieces.dropFirst() {
            switch attribute {
            case "flatten": block.operations.flatten = true
            case "bn", "batchnorm1d": block.operations.batchNorm1d = true
            case "batchnorm2d": block.operations.batchNorm2d = true
            case "outbn": block.outputBatchNorm = true
            case _ where attribute.hasPrefix("dropout"):
                guard let p = Float(attribute.dropFirst(7)), p >= 0, p < 1 else {
                    throw .badLayerString(text, reason: "bad dropout '\(attribute)'", hint: "write dropout0.5")
                }
                block.dropout = p
            case _ where attribute.hasPrefix("max_") || attribute.hasPrefix("avg_"):
                block.pool = attribute
            case _ where LossString.isLoss(attribute): block.loss = try LossString.parse(attribute)
            default: block.activation = try ActivationString.parse(attribute)
            }
        }
        return block
    }

    /// A block from SoftHebb's JSON block object.
    static func block(from raw: [String: JSONValue], preset: String, index: Int) throws(ConfigError) -> BlockConfig {
        if let num = raw["num"]?.wholeNumber, num != index {
            throw .badBlock(preset: preset, block: index, reason: "'num' is \(num), expected \(index)")
        }
        guard let archText = raw["arch"]?.string, let arch = Architecture(rawValue: archText) else {
            throw .badBlock(preset: preset, block: index, reason: "'arch' must be MLP or CNN")
        }
        guard let layerText = raw["preset"]?.string else {
            throw .badBlock(preset: preset, block: index, reason: "'preset' layer string missing")
        }
        var layer = try LayerString.parse(layerText, over: .defaults(for: arch))
        if let overrides = raw["layer"]?.object { layer = try apply(overrides, to: layer, preset: preset, index: index) }
        var block = BlockConfig(layer: layer, operations: try InputOperations(parsing: raw["operation"]?.string ?? ""))
        if let activation = raw["activation"]?.string { block.activation = try ActivationString.parse(activation) }
        block.pool = raw["pool"]?.string
        // SoftHebb applies dropout only when the JSON value is a float (0 means none).
        if let p = raw["dropout"]?.double, p > 0, p < 1 { block.dropout = Float(p) }
        block.outputBatchNorm = raw["batch_norm"]?.bool ?? false
        if let loss = raw["loss"]?.string { block.loss = try LossString.parse(loss) }
        return block
    }

    /// Overlays a block's `layer` dictionary (our lowerCamel keys) with a Codable round trip.
    static func apply(_ overrides: [String: JSONValue], to layer: LayerConfig, preset: String, index: Int) throws(ConfigError) -> LayerConfig {
        guard let base = try? JSONEncoder().encode(layer),
            var tree = (try? GuardedJSON.decode(JSONValue.self, from: base))?.object
        else { throw .badBlock(preset: preset, block: index, reason: "layer config cannot be encoded") }
        for (key, value) in overrides {
            let translated = key == "metric_mode" ? "metricMode" : key
            guard tree[translated] != nil || LayerConfig.optionalKeys.contains(translated) else {
                let hint = EditDistance.closest(to: key, among: Array(tree.keys) + LayerConfig.optionalKeys).map { " (did you mean '\($0)'?)" } ?? ""
                throw .badBlock(preset: preset, block: index, reason: "unknown layer key '\(key)'\(hint)")
            }
            tree[translated] = value
        }
        guard let data = try? JSONEncoder().encode(JSONValue.object(tree)),
            let merged = try? GuardedJSON.decode(LayerConfig.self, from: data)
        else { throw .badBlock(preset: preset, block: index, reason: "layer overrides have wrong types") }
        // Overrides bypass the layer-string checks: apply the same ranges.
        if let problem = LayerString.problem(in: merged) {
            throw .badBlock(preset: preset, block: index, reason: "layer overrides: \(problem)")
        }
        return merged
    }
}
