import HebbModel
import HebbRules
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

        /// A valid value to show in hints.
        var example: String {
            ["c": "96", "sim": "angular", "upd": "hebb", "som": "8x12", "tau": "1000"][name] ?? "1"
        }
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
        Key(name: "v", cnnOnly: false, help: "lr mode: 0 linear decay, 1 radius-adaptive, 2 per-epoch linear, 3 exponential, 4 constant") { c, v in
            guard let mode = Int(v).flatMap(LearningRateMode.init(rawValue:)) else { return false }
            c.adaptive = mode == .radiusAdaptive
            c.rateMode = mode.rawValue <= 1 ? nil : mode
            return true
        },
        Key(name: "tau", cnnOnly: false, help: "time constant (updates) of v3 and the SOM shrinking, > 0") { c, v in set(&c.timeConstant, finite(v).flatMap { $0 > 0 ? $0 : nil }) },
        Key(name: "lrmin", cnnOnly: false, help: "floor of the v3 learning rate, ≥ 0") { c, v in set(&c.minimumLearningRate, finite(v).flatMap { $0 >= 0 ? $0 : nil }) },
        Key(name: "wd", cnnOnly: false, help: "weight decay λ ≥ 0 of hebb") { c, v in set(&c.weightDecay, finite(v).flatMap { $0 >= 0 ? $0 : nil }) },
        Key(name: "norm", cnnOnly: false, help: "1: hebb rescales units to norm 1 after each step") { c, v in set(&c.unitNormalisation, flag(v)) },
        Key(name: "sim", cnnOnly: false, help: "similarity: dot, proj, angular or euclid") { c, v in set(&c.similarity, Similarity(rawValue: v)) },
        Key(name: "upd", cnnOnly: false, help: "wta update: base or hebb") { c, v in set(&c.modulation, LaganiWinnerTakeAll.Modulation(rawValue: v)) },
        Key(name: "anti", cnnOnly: false, help: "wta losers' feedback −anti, anti ≥ 0") { c, v in set(&c.loserStrength, finite(v).flatMap { $0 >= 0 ? $0 : nil }) },
        Key(name: "som", cnnOnly: false, help: "wta SOM map shape, e.g. 8x12") { c, v in set(&c.neighbourhoodMap, mapShape(v)) },
        Key(name: "teach", cnnOnly: false, help: "wta kernels per class under a teacher (int)") { c, v in set(&c.kernelsPerClass, size(v, atLeast: 1)) },
        Key(name: "center", cnnOnly: true, help: "1: zero-mean patches (hebb; one group)") { c, v in set(&c.centeredPatches, flag(v)) },
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

    /// `8x12` (1–3 axes, each 1…largestSize) as [8, 12].
    private static func mapShape(_ v: String) -> [Int]? {
        let axes = v.split(separator: "x", omittingEmptySubsequences: false).map { size(String($0), atLeast: 1) }
        guard (1...3).contains(axes.count), axes.allSatisfy({ $0 != nil }) else { return nil }
        let shape = axes.compactMap { $0 }
        return shape.reduce(1, *) <= largestSize ? shape : nil
    }

    /// Defaults a prefix brings before its tokens: Oja and plain Hebb start at unit norm with a
    /// constant rate; Lagani's wta uses η = 0.1, U(±1/√fan-in) init, angular similarity.
    static func applyKindDefaults(_ config: inout LayerConfig) {
        switch config.kind {
        case .oja, .plainHebbian:
            (config.adaptive, config.rateMode, config.radius) = (false, .constant, 1)
        case .winnerTakeAll:
            (config.adaptive, config.rateMode, config.learningRate) = (false, .constant, 0.1)
            (config.initialisation, config.similarity) = (.fanInUniform, .angular)
        default: break
        }
    }

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
        applyKindDefaults(&config)
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
                throw .badLayerString(string, reason: "token '\(token)' has no value", hint: "write \(key.name)<\(key.help)>, e.g. \(key.name)\(key.example)")
            }
            guard key.apply(&config, value) else {
                if let number = Float(value), !number.isFinite {
                    throw .badLayerString(
                        string, reason: "token '\(token)' has a non-finite value '\(value)'",
                        hint: "\(key.name) is the \(key.help); write a finite number, e.g. \(key.name)\(key.example)")
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
        let optionals: [(String, Float?)] = [
            ("timeConstant", config.timeConstant), ("minimumLearningRate", config.minimumLearningRate),
            ("weightDecay", config.weightDecay), ("loserStrength", config.loserStrength),
        ]
        for case let (name, value?) in optionals where !value.isFinite { return "\(name) \(value) is not finite" }
        if let tau = config.timeConstant, tau <= 0 { return "timeConstant \(tau) is not positive" }
        for case let (name, value?) in optionals.dropFirst() where value < 0 { return "\(name) \(value) is negative" }
        if let k = config.kernelsPerClass, !(1...largestSize).contains(k) { return "kernelsPerClass \(k) is outside 1…\(largestSize)" }
        if let map = config.neighbourhoodMap, !(1...3).contains(map.count) || map.contains(where: { !(1...largestSize).contains($0) }) {
            return "neighbourhoodMap \(map) needs 1–3 axes of 1…\(largestSize)"
        }
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
                "r\(short(config.radius))", "v\(config.effectiveRateMode.rawValue)",
            ]
            if config.kind == .hardKrotov { tokens += ["a\(short(config.antiHebbianStrength))", "rank\(config.rankingK)"] }
            tokens += renderAdditions(config)
        } else {
            tokens.append("ls\(short(config.supervisedLearningRate))")
        }
        return tokens.joined(separator: "-")
    }

    /// Tokens of hebb's optional fields that are set.
    private static func renderAdditions(_ c: LayerConfig) -> [String] {
        var tokens: [String] = []
        if let v = c.timeConstant { tokens.append("tau\(short(v))") }
        if let v = c.minimumLearningRate { tokens.append("lrmin\(short(v))") }
        if let v = c.weightDecay { tokens.append("wd\(short(v))") }
        if let v = c.unitNormalisation { tokens.append("norm\(v ? 1 : 0)") }
        if let v = c.similarity { tokens.append("sim\(v.rawValue)") }
        if let v = c.modulation { tokens.append("upd\(v.rawValue)") }
        if let v = c.loserStrength { tokens.append("anti\(short(v))") }
        if let v = c.neighbourhoodMap { tokens.append("som" + v.map(String.init).joined(separator: "x")) }
        if let v = c.kernelsPerClass { tokens.append("teach\(v)") }
        if let v = c.centeredPatches { tokens.append("center\(v ? 1 : 0)") }
        return tokens
    }

    private static func short(_ x: Float) -> String {
        x == x.rounded() && abs(x) < 1e7 ? String(Int(x)) : "\(x)"
    }

    static func suggestion(_ word: String, _ candidates: [String]) -> String? {
        EditDistance.closest(to: word, among: candidates).map { "did you mean '\($0)'?" }
    }
}
