/// Fully connected (`MLP`) or convolutional (`CNN`) layer.
public enum Architecture: String, Codable, Sendable, Equatable {
    case mlp = "MLP"
    case cnn = "CNN"
}

/// How a layer learns: SoftHebb's layer-string prefixes (spec §1.3).
public enum LayerKind: String, Codable, Sendable, Equatable, CaseIterable {
    /// Trained by backprop (`BP`).
    case backprop = "BP"
    /// Hard winner-take-all (`hard`).
    case hard
    /// Krotov–Hopfield ranking rule (`hardkrotov`).
    case hardKrotov = "hardkrotov"
    /// SoftHebb without anti-Hebbian term (`soft`).
    case soft
    /// SoftHebb with anti-Hebbian non-winners (`softkrotov`), the published SoftHebb.
    case softKrotov = "softkrotov"
    /// Hebbian classifier with clamped one-hot targets (`supervisedsoftkrotov`), MLP only.
    case supervisedSoftKrotov = "supervisedsoftkrotov"

    /// Whether a local rule (not backprop) trains the layer.
    public var isHebbian: Bool { self != .backprop }
}

/// How Hebbian weights are initialised (SoftHebb derives it from the block operation).
public enum InitialisationChoice: String, Codable, Sendable, Equatable {
    /// Normal when the block normalises its input with batch norm, positive uniform otherwise.
    case automatic
    /// σ·N(0,1) with σ from the radius.
    case normal
    /// range·U[0,1) with range from the radius.
    case positive
}

/// A layer's resolved configuration: SoftHebb's layer defaults overlaid by a layer string and a
/// block's `layer` overrides. Property names are the JSON keys; token letters are in comments.
public struct LayerConfig: Codable, Sendable, Equatable {
    /// MLP or CNN.
    public var arch: Architecture
    /// Learning kind (prefix).
    public var kind: LayerKind
    /// Units or filters (`c`); nil until the dimension pass for a last BP layer.
    public var outChannels: Int?
    /// Hebbian learning-rate amplitude (`lr`).
    public var learningRate: Float
    /// Adam learning rate of a BP layer (`ls`).
    public var supervisedLearningRate: Float
    /// Lebesgue power p of the weight norm (`lb`).
    public var lebesguePower: Float
    /// Exponent of the radius-adaptive learning rate (`lp`).
    public var powerLearningRate: Float
    /// Softmax inverse temperature t (`t`).
    public var inverseTemperature: Float
    /// Whether the layer has a bias (`b`).
    public var addBias: Bool
    /// Anti-Hebbian strength Δ of the Krotov rule (`a`).
    public var antiHebbianStrength: Float
    /// Rank k of the Krotov anti-Hebbian unit (`rank`; not in SoftHebb's grammar).
    public var rankingK: Int
    /// Initial weight radius (`r`).
    public var radius: Float
    /// Radius-adaptive learning rate (`v1`) or linear decay (`v0`).
    public var adaptive: Bool
    /// Weight initialisation choice (not in SoftHebb's grammar; `automatic` reproduces it).
    public var initialisation: InitialisationChoice
    /// Kernel size (`k`, CNN).
    public var kernelSize: Int
    /// Zero or reflect padding (`p`, CNN).
    public var padding: Int
    /// Stride (`s`, CNN).
    public var stride: Int
    /// Dilation (`d`, CNN).
    public var dilation: Int
    /// Groups (`g`, CNN).
    public var groups: Int
    /// Mask threshold (`m`, CNN; parsed and unused, as in SoftHebb).
    public var maskThreshold: Float
    /// Triangle on the currents before plasticity (`e`, CNN).
    public var preTriangle: Bool
    /// `supervised` puts a Hebbian block in the supervised phase.
    public var metricMode: String

    /// SoftHebb's `layer/MLP/default` or `layer/CNN/default` (spec §1.4).
    public static func defaults(for arch: Architecture) -> LayerConfig {
        let mlp = arch == .mlp
        return LayerConfig(
            arch: arch, kind: mlp ? .soft : .softKrotov, outChannels: nil,
            learningRate: mlp ? 0.05 : 0.009, supervisedLearningRate: 0.001, lebesguePower: 2,
            powerLearningRate: mlp ? 0.2 : 0.75, inverseTemperature: mlp ? 10 : 96, addBias: false,
            antiHebbianStrength: mlp ? 0.1 : 2, rankingK: 3, radius: mlp ? 10 : 25, adaptive: true,
            initialisation: .automatic, kernelSize: 1, padding: 0, stride: 1, dilation: 1, groups: 1,
            maskThreshold: 0, preTriangle: false, metricMode: "unsupervised")
    }
}
