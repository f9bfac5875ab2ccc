import HebbTensor

/// Parses and renders SoftHebb layer strings such as `softkrotov-c96-k5-p2-t1-lr0.08-lp0.5`.
///
/// Grammar (spec §1.3): `PREFIX(-TOKEN)*`. Prefixes are matched case-insensitively (`Soft` and
/// `soft` both work, fixing quirk 10). Tokens are `KEYvalue`; the longest matching key wins, so
/// `lr`, `lp`, `lb`, `ls` and `rank` never collide with `r`. CNN-only keys are accepted and
/// ignored for MLP layers, as in SoftHebb; unknown or malformed tokens are errors.
public enum LayerString {
    /// A token key, what it sets, and whether only CNN layers use it.
    struct Key: Sendable {
        let name: String
        let cnnOnly: Bool
        let help: String
        let apply: @Sendable (inout LayerConfig, String) -> Bool
    }

    static let keys: [Key] = [
        Key(name: "c", cnnOnly: false, help: "units/filters (int)") { c, v in set(&c.outChannels, size(v, atLeast: 1)) },
        Key(name: "lr", cnnOnly: false, help: "Hebbian learning rate") { c, v in set(&c.learningRate, finite(v)) },
        Key(name: "ls", cnnOnly: false, help: "supervised (Adam) learning rate") { c, v in set(&c.supervisedLearningRate, finite(v)) },
        Key(name: "lb", cnnOnly: false, help: "Lebesgue power p") { c, v in set(&c.lebesguePower, finite(v).flatMap { $0 >= 1 ? $0 : nil }) },
        Key(name: "lp", cnnOnly: false, help: "power of the radius-adaptive learning rate") { c, v in set(&c.powerLearningRate, finite(v)) },
        Key(name: "t", cnnOnly: false, help: "softmax inverse temperature") { c, v in set(&c.inverseTemperature, finite(v)) },
        Key(name: "b", cnnOnly: false, help: "bias 0/1") { c, v in set(&c.addBias, flag(v)) },
        Key(name: "a", cnnOnly: false, help: "anti-Hebbian strength Δ") { c, v in set(&c.antiHebbianStrength, finite(v)) },
        Key(name: "rank", cnnOnly: false, help: "Krotov ranking k (≥ 2)") { c, v in set(&c.rankingK, size(v, atLeast: 2)) },
        Key(name: "r", cnnOnly: false, help: "initial radius") { c, v in set(&c.radius, finite(v).flatMap { $0 > 0 ? $0 : nil }) },
        Key(name: "v", cnnOnly: false, help: "1 radius-adaptive lr, 0 linear decay") { c, v in set(&c.adaptive, flag(v)) },
        Key(name: "k", cnnOnly: true, help: "kernel size") { c, v in set(&c.kernelSize, size(v, atLeast: 1)) },
        Key(name: "d", cnnOnly: true, help: "dilation") { c, v in set(&c.dilation, size(v, atLeast: 1)) },
        Key(name: "p", cnnOnly: true, help: "padding") { c, v in set(&c.padding, size(v, atLeast: 0)) },
        Key(name: "s", cnnOnly: true, help: "stride") { c, v in set(&c.stride, size(v, atLeast: 1)) },
        Key(name: "m", cnnOnly: true, help: "mask threshold (unused)") { c, v in set(&c.maskThreshold, finite(v)) },
        Key(name: "g", cnnOnly: true, help: "groups") { c, v in set(&c.groups, size(v, atLeast: 1)) },
        Key(name: "e", cnnOnly: true, help: "pre-triangle 0/1") { c, v in set(&c.preTriangle, flag(v)) },
    ]

    private static func set<T>(_ field: inout T, _ value: T?) -> Bool {
        guard let value else { return false }
        field = value
        return true
    }

    private static func set<T>(_ field: inout T?, _ value: T?) -> Bool {
        guard let value else { return false }
        field = value
        return true
    }

    /// Largest c, k, p, s, d, g and rank accepted (2²⁰): bigger values are typos, and sizes near
    /// Int.max overflow the shape arithmetic of the dimension pass.
    public static let largestSize = 1 << 20

    /// `v` as an integer in `minimum...largestSize`.
    private static func size(_ v: String, atLeast minimum: Int) -> Int? {
        Int(v).flatMap { (minimum...largestSize).contains($0) ? $0 : nil }
    }

    /// `v` as a finite number: `nan`, `inf` and values beyond Float's range (`1e39`) are refused.
    private static func finite(_ v: String) -> Float? { Float(v).flatMap { $0.isFinite ? $0 : nil } }

    private static func flag(_ v: String) -> Bool? { v == "1" ? true : (v == "0" ? false : nil) }

    /// The architecture a bare layer string implies: CNN when it has a kernel token `k…`.
    public static func impliedArchitecture(of string: String) -> Architecture {
        let tokens = string.split(separator: "-", omittingEmptySubsequences: false).dropFirst()
        return tokens.contains { $0.first == "k" && Int($0.dropFirst()) != nil } ? .cnn : .mlp
    }

    /// Parses `string` over `base` (the arch defaults).
    public static func parse(_ string: String, over base: LayerConfig) throws(ConfigError) -> LayerConfig {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let prefix = parts.first, !prefix.isEmpty else {
            throw .badLayerString(string, reason: "it is empty", hint: "write e.g. soft-c2000-t12-lr0.045")
        }
        guard let kind = LayerKind.allCases.first(where: { $0.rawValue.lowercased() == prefix.lowercased() }) else {
            let names = LayerKind.allCases.map(\.rawValue)
            throw .badLayerString(
                string, reason: "unknown prefix '\(prefix)'",
                hint: suggestion(prefix, names) ?? "prefixes: \(names.joined(separator: ", "))")
        }
        var config = base
        config.kind = kind
        for token in parts.dropFirst() {
            guard let key = keys.filter({ token.hasPrefix($0.name) }).max(by: { $0.name.count < $1.name.count }) else {
                throw .badLayerString(
                    string, reason: "unknown token '\(token)'",
                    hint: token.isEmpty ? "remove the doubled '-'" : "keys: \(keys.map(\.name).joined(separator: " "))")
            }
            let value = String(token.dropFirst(key.name.count))
            if key.cnnOnly && config.arch == .mlp {
                guard !value.isEmpty else { throw .badLayerString(string, reason: "token '\(token)' has no value", hint: "write \(key.name)<value>") }
                continue
            }
            guard !value.isEmpty else {
                throw .badLayerString(string, reason: "token '\(token)' has no value", hint: "write \(key.name)<\(key.help)>, e.g. \(key.name)\(key.name == "c" ? "96" : "1")")
            }
            guard key.apply(&config, value) else {
                if let number = Float(value), !number.isFinite {
                    throw .badLayerString(
                        string, reason: "token '\(token)' has a non-finite value '\(value)'",
                        hint: "\(key.name) is the \(key.help); write a finite number, e.g. \(key.name)\(key.name == "c" ? "96" : "1")")
                }
                if let number = Int(value), number > largestSize {
                    throw .badLayerString(
                        string, reason: "token '\(token)' is larger than \(largestSize)",
                        hint: "\(key.name) is the \(key.help); a size this large is surely a typo")
                }
                throw .badLayerString(string, reason: "token '\(token)' has a bad value '\(value)'", hint: "\(key.name) is the \(key.help)")
            }
        }
        return config
    }

    /// Why `config` is outside what layer strings accept (sizes up to `largestSize`, finite
    /// numbers, lb ≥ 1, r > 0, rank ≥ 2), or nil; for configs built another way (JSON overrides).
    static func problem(in config: LayerConfig) -> String? {
        let sizes: [(String, Int?, Int)] = [
            ("outChannels", config.outChannels, 1), ("kernelSize", config.kernelSize, 1), ("padding", config.padding, 0),
            ("stride", config.stride, 1), ("dilation", config.dilation, 1), ("groups", config.groups, 1),
            ("rankingK", config.rankingK, 2),
        ]
        for case let (name, value?, minimum) in sizes where !(minimum...largestSize).contains(value) {
            return "\(name) \(value) is outside \(minimum)…\(largestSize)"
        }
        let numbers: [(String, Float)] = [
            ("learningRate", config.learningRate), ("supervisedLearningRate", config.supervisedLearningRate),
            ("lebesguePower", config.lebesguePower), ("powerLearningRate", config.powerLearningRate),
            ("inverseTemperature", config.inverseTemperature), ("antiHebbianStrength", config.antiHebbianStrength),
            ("radius", config.radius), ("maskThreshold", config.maskThreshold),
        ]
        for (name, value) in numbers where !value.isFinite { return "\(name) \(value) is not finite" }
        if config.lebesguePower < 1 { return "lebesguePower \(config.lebesguePower) is below 1" }
        if config.radius <= 0 { return "radius \(config.radius) is not positive" }
        return nil
    }

    /// A canonical layer string for `config` (round-trips through `parse`).
    public static func render(_ config: LayerConfig) -> String {
        var tokens = [config.kind.rawValue]
        if let c = config.outChannels { tokens.append("c\(c)") }
        if config.arch == .cnn {
            tokens += ["k\(config.kernelSize)", "p\(config.padding)", "s\(config.stride)", "d\(config.dilation)"]
            if config.groups != 1 { tokens.append("g\(config.groups)") }
            if config.preTriangle { tokens.append("e1") }
        }
        tokens.append("b\(config.addBias ? 1 : 0)")
        if config.kind.isHebbian {
            tokens += [
                "t\(short(config.inverseTemperature))", "lr\(short(config.learningRate))",
                "lp\(short(config.powerLearningRate))", "lb\(short(config.lebesguePower))",
                "r\(short(config.radius))", "v\(config.adaptive ? 1 : 0)",
            ]
            if config.kind == .hardKrotov { tokens += ["a\(short(config.antiHebbianStrength))", "rank\(config.rankingK)"] }
        } else {
            tokens.append("ls\(short(config.supervisedLearningRate))")
        }
        return tokens.joined(separator: "-")
    }

    private static func short(_ x: Float) -> String {
        x == x.rounded() && abs(x) < 1e7 ? String(Int(x)) : "\(x)"
    }

    static func suggestion(_ word: String, _ candidates: [String]) -> String? {
        EditDistance.closest(to: word, among: candidates).map { "did you mean '\($0)'?" }
    }
}
