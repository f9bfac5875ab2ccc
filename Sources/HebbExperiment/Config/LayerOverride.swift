import HebbTensor

/// One `--set` override of a block's layer hyper-parameter: `b0.radius=3.5`, `b1.t=0.5`,
/// `b0.kind=soft`, or several blocks at once, `b0,b1,b2.t_invert=0.5`.
///
/// A key is a layer-string token key (`r`, `t`, `lr`, …, spec §1.3), a `LayerConfig` property
/// name (`radius`, `inverseTemperature`, …) or SoftHebb's own layer key (`t_invert`,
/// `softness`, …); `kind` (or `softness`) sets the prefix. One named block must exist; a list of
/// blocks applies to those of them that exist and are Hebbian (SoftHebb's `regimes` search).
public struct LayerOverride: Codable, Sendable, Equatable {
    /// Target block indices, as written.
    public var blocks: [Int]
    /// The key as written.
    public var key: String
    /// The value as written.
    public var value: String

    /// The override as `--set` takes it.
    public var text: String { blocks.map { "b\($0)" }.joined(separator: ",") + ".\(key)=\(value)" }

    /// Keys that set the layer kind (prefix).
    static let kindKeys = ["kind", "softness", "prefix"]

    /// Long names → token keys: `LayerConfig` properties and SoftHebb's layer-config keys.
    static let aliases: [String: String] = [
        "outChannels": "c", "out_channels": "c", "learningRate": "lr", "supervisedLearningRate": "ls",
        "lebesguePower": "lb", "lebesgue_p": "lb", "powerLearningRate": "lp", "power_lr": "lp",
        "inverseTemperature": "t", "t_invert": "t", "addBias": "b", "add_bias": "b",
        "antiHebbianStrength": "a", "delta": "a", "rankingK": "rank", "ranking_param": "rank",
        "radius": "r", "adaptive": "v", "kernelSize": "k", "kernel_size": "k", "padding": "p",
        "stride": "s", "dilation": "d", "groups": "g", "maskThreshold": "m", "mask_thsd": "m",
        "preTriangle": "e", "pre_triangle": "e",
    ]

    /// Every key accepted, for hints.
    static var knownKeys: [String] { LayerString.keys.map(\.name) + kindKeys + aliases.keys.sorted() }

    /// Parses `bI[,bJ…].KEY=VALUE`; the key must be known (values are checked when applied).
    public static func parse(_ text: String) throws(ConfigError) -> LayerOverride {
        let example = "write e.g. b0.radius=3.5, b1.t=0.5 or b0,b1,b2.kind=soft"
        guard let equals = text.firstIndex(of: "="), let dot = text[..<equals].firstIndex(of: ".") else {
            throw .badOverride(text, reason: "it is not BLOCK.KEY=VALUE", hint: example)
        }
        let blockText = text[..<dot], key = String(text[text.index(after: dot)..<equals])
        let value = String(text[text.index(after: equals)...])
        var blocks: [Int] = []
        for part in blockText.split(separator: ",", omittingEmptySubsequences: false) {
            guard part.first == "b", let index = Int(part.dropFirst()), index >= 0, index < 1000 else {
                throw .badOverride(text, reason: "'\(part)' is not a block such as b0", hint: example)
            }
            blocks.append(index)
        }
        guard canonicalKey(key) != nil else {
            let hint = EditDistance.closest(to: key, among: knownKeys).map { "did you mean '\($0)'?" }
                ?? "keys: \(LayerString.keys.map(\.name).joined(separator: " ")), kind, or names such as radius, t_invert"
            throw .badOverride(text, reason: "unknown key '\(key)'", hint: hint)
        }
        guard !value.isEmpty else { throw .badOverride(text, reason: "the value is empty", hint: example) }
        return LayerOverride(blocks: blocks, key: key, value: value)
    }

    /// The token key `key` stands for, `kind` for the prefix, or nil when unknown.
    static func canonicalKey(_ key: String) -> String? {
        if kindKeys.contains(key) { return "kind" }
        if LayerString.keys.contains(where: { $0.name == key }) { return key }
        return aliases[key]
    }

    /// `model` with every override applied in order.
    public static func apply(_ overrides: [LayerOverride], to model: ModelConfig) throws(ConfigError) -> ModelConfig {
        var model = model
        for override in overrides { try override.apply(to: &model) }
        return model
    }

    /// Applies this override to its blocks of `model`.
    func apply(to model: inout ModelConfig) throws(ConfigError) {
        let count = model.blocks.count
        let targets: [Int]
        if blocks.count == 1 {
            guard blocks[0] < count else {
                throw .badOverride(text, reason: "model '\(model.name)' has no block b\(blocks[0])", hint: "its blocks are b0…b\(count - 1)")
            }
            targets = blocks
        } else {
            targets = blocks.filter { $0 < count && model.blocks[$0].layer.kind.isHebbian }
            guard !targets.isEmpty else {
                throw .badOverride(text, reason: "none of these blocks is a Hebbian block of model '\(model.name)'", hint: "its blocks are b0…b\(count - 1)")
            }
        }
        for index in targets { model.blocks[index].layer = try applied(to: model.blocks[index].layer, block: index) }
    }

    /// `layer` with the override's key set to its value.
    func applied(to layer: LayerConfig, block: Int) throws(ConfigError) -> LayerConfig {
        var layer = layer
        guard let canonical = LayerOverride.canonicalKey(key) else {
            throw .badOverride(text, reason: "unknown key '\(key)'", hint: "run 'hebb train --help'")
        }
        if canonical == "kind" {
            guard let kind = LayerKind.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) else {
                let names = LayerKind.allCases.map(\.rawValue)
                throw .badOverride(text, reason: "'\(value)' is not a layer kind", hint: LayerString.suggestion(value, names) ?? "kinds: \(names.joined(separator: ", "))")
            }
            layer.kind = kind
            return layer
        }
        guard let token = LayerString.keys.first(where: { $0.name == canonical }) else {
            throw .badOverride(text, reason: "unknown key '\(key)'", hint: "run 'hebb train --help'")
        }
        if token.cnnOnly && layer.arch == .mlp {
            throw .badOverride(text, reason: "block b\(block) is an MLP layer and '\(key)' applies to conv layers only", hint: "drop this override or target a conv block")
        }
        let flagValue = ["true": "1", "false": "0"][value.lowercased()] ?? value
        guard token.apply(&layer, flagValue), LayerString.problem(in: layer) == nil else {
            throw .badOverride(text, reason: "bad value '\(value)' for block b\(block)", hint: "'\(key)' is the \(token.help)")
        }
        return layer
    }
}
