import HebbModel
import HebbRules

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
    /// Oja's rule, y = u, batch mean (`oja`).
    case oja
    /// Plain Hebb, y = u, with optional weight decay and unit normalisation (`hebb`).
    case plainHebbian = "hebb"
    /// Lagani's competitive rule Δw = η·r·(x − w), weighted average over patches (`wta`).
    case winnerTakeAll = "wta"

    /// Whether a local rule (not backprop) trains the layer.
    public var isHebbian: Bool { self != .backprop }
}

/// How a Hebbian layer's learning rate evolves: SoftHebb's `v0`/`v1` and hebb's additions.
public enum LearningRateMode: Int, Codable, Sendable, CaseIterable {
    /// `v0`: linear decay per update to 0 at the end of the phase (SoftHebb).
    case linearDecay = 0
    /// `v1`: radius-adaptive per unit (SoftHebb).
    case radiusAdaptive = 1
    /// `v2`: linear decay per epoch, `lr·(1 − epoch/epochs)` (Krotov's notebook).
    case epochLinearDecay = 2
    /// `v3`: exponential decay `max(lr·e^(−k/τ), lrmin)` per update (Lagani's `sched_exp`).
    case exponentialDecay = 3
    /// `v4`: constant.
    case constant = 4
}

/// How Hebbian weights are initialised (SoftHebb derives it from the block operation).
public enum InitialisationChoice: String, Codable, Sendable, Equatable, CaseIterable {
    /// Normal when the block normalises its input with batch norm, positive uniform otherwise.
    case automatic
    /// σ·N(0,1) with σ from the radius.
    case normal
    /// range·U[0,1) with range from the radius.
    case positive
    /// U(±1/√fan-in), PyTorch's conv default that Lagani's HebbianMap2d uses; ignores the radius.
    case fanInUniform
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

    // hebb's additions (nil: the default, so older configs decode and hash unchanged).
    /// Learning-rate mode beyond `v0`/`v1` (`v2`…`v4`); nil: `adaptive` decides.
    public var rateMode: LearningRateMode?
    /// Time constant τ in updates (`tau`) of `v3` and of the SOM shrinking (default 1000).
    public var timeConstant: Float?
    /// Floor of the `v3` decay (`lrmin`, default 0).
    public var minimumLearningRate: Float?
    /// Plain Hebb's weight decay λ (`wd`, default 0).
    public var weightDecay: Float?
    /// Plain Hebb's rescaling of every unit to p-norm 1 after each step (`norm`, default off).
    public var unitNormalisation: Bool?
    /// The layer's output per patch and unit (`sim`, default dot; `wta` defaults to angular).
    public var similarity: Similarity?
    /// Lagani's `base` or `hebb` modulation (`upd`, default base).
    public var modulation: LaganiWinnerTakeAll.Modulation?
    /// Losers' lateral feedback is −anti (`anti`, default 0).
    public var loserStrength: Float?
    /// SOM map shape, e.g. [8, 12] (`som8x12`); nil: plain winner-take-all.
    public var neighbourhoodMap: [Int]?
    /// Kernels bound to each class under a teacher (`teach`); nil: unsupervised.
    public var kernelsPerClass: Int?
    /// Zero-mean patches (`center1`, convolutions with one group): each patch's mean is subtracted
    /// before the currents and the rule (default off).
    public var centeredPatches: Bool?

    /// JSON keys of the optional fields (absent from an encoded config while nil).
    static let optionalKeys = [
        "outChannels", "rateMode", "timeConstant", "minimumLearningRate", "weightDecay", "unitNormalisation", "similarity",
        "modulation", "loserStrength", "neighbourhoodMap", "kernelsPerClass", "centeredPatches",
    ]

    /// The learning-rate mode in effect.
    public var effectiveRateMode: LearningRateMode { rateMode ?? (adaptive ? .radiusAdaptive : .linearDecay) }

    /// Whether the layer learns from labels (a supervised phase): a Hebbian classifier or a
    /// `wta` layer with a teacher.
    public var learnsFromLabels: Bool {
        kind == .supervisedSoftKrotov || (kind == .winnerTakeAll && kernelsPerClass != nil)
    }

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
