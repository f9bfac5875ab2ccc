import HebbModel
import HebbTensor

/// Input operations of a block, from SoftHebb's `operation` string by substring tests (§1.6).
public struct InputOperations: Codable, Sendable, Equatable {
    /// `batchnorm2d`: affine-free batch norm over channels.
    public var batchNorm2d = false
    /// `flatten`: the block sees C·H·W features.
    public var flatten = false
    /// `batchnorm1d`: affine-free batch norm over features.
    public var batchNorm1d = false

    /// Parses SoftHebb's `operation` string; `max` and `normnorm` are refused (not implemented).
    public init(parsing operation: String) throws(ConfigError) {
        batchNorm2d = operation.contains("batchnorm2d")
        flatten = operation.contains("flatten")
        batchNorm1d = operation.contains("batchnorm1d")
        for op in ["normnorm", "max"] where operation.contains(op) {
            throw .unsupported("input operation '\(op)'", hint: "use batchnorm1d, batchnorm2d or flatten")
        }
    }

    /// No operations.
    public init() {}

    /// Whether the block normalises its input (selects the normal weight init).
    public var normalisesInput: Bool { batchNorm1d || batchNorm2d }
}

/// One block's resolved configuration.
public struct BlockConfig: Codable, Sendable, Equatable {
    /// The layer.
    public var layer: LayerConfig
    /// Input operations.
    public var operations: InputOperations
    /// Activation after the layer.
    public var activation: Activation
    /// Pooling string (`max_4_2_1`), CNN only.
    public var pool: String?
    /// Dropout probability before the layer, if any.
    public var dropout: Float?
    /// Affine-free batch norm on the output (SoftHebb's `batch_norm`).
    public var outputBatchNorm: Bool
    /// Supervised loss on the output of the last block (nil: cross-entropy).
    public var loss: Loss?

    /// Creates a block config.
    public init(
        layer: LayerConfig, operations: InputOperations = InputOperations(), activation: Activation = .identity,
        pool: String? = nil, dropout: Float? = nil, outputBatchNorm: Bool = false, loss: Loss? = nil
    ) {
        self.layer = layer
        self.operations = operations
        self.activation = activation
        self.pool = pool
        self.dropout = dropout
        self.outputBatchNorm = outputBatchNorm
        self.loss = loss
    }
}

/// Parses SoftHebb activation strings `name` or `name_param` (spec §1.6).
public enum ActivationString {
    /// Names accepted.
    public static let names = ["relu", "repu", "triangle", "softmax", "sigmoid", "tanh", "exp", "hard", "none"]

    /// Parses e.g. `triangle_0.7`, `softmax_5`, `relu`.
    public static func parse(_ string: String) throws(ConfigError) -> Activation {
        let parts = string.split(separator: "_", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let parameter: Float?
        if parts.count == 2 {
            guard let value = Float(parts[1]), value.isFinite else {
                throw .badLayerString(
                    string, reason: "activation parameter '\(parts[1])' is not a finite number", hint: "write e.g. triangle_0.7")
            }
            parameter = value
        } else {
            parameter = nil
        }
        switch name {
        case "relu": return .relu
        case "repu": return .repu(power: parameter ?? 1)
        case "triangle": return .triangle(power: parameter ?? 1)
        case "softmax": return .softmax(inverseTemperature: parameter ?? 1)
        case "sigmoid": return .sigmoid(beta: parameter ?? 10)
        case "tanh": return .tanh(beta: parameter ?? 1)
        case "exp": return .exponential(inverseTemperature: parameter ?? 1)
        case "hard": return .hardMax
        case "none", "": return .identity
        default:
            throw .badLayerString(
                string, reason: "unknown activation '\(name)'",
                hint: LayerString.suggestion(name, names) ?? "activations: \(names.joined(separator: ", "))")
        }
    }

    /// The canonical string for an activation.
    public static func render(_ activation: Activation) -> String {
        switch activation {
        case .identity: return "none"
        case .relu: return "relu"
        case .repu(let q): return "repu_\(q)"
        case .triangle(let q): return "triangle_\(q)"
        case .softmax(let t): return "softmax_\(t)"
        case .sigmoid(let b): return "sigmoid_\(b)"
        case .tanh(let b): return "tanh_\(b)"
        case .exponential(let t): return "exp_\(t)"
        case .hardMax: return "hard"
        }
    }
}

/// Parses loss attributes: `powerloss_6` is Krotov & Hopfield's Σ|c − t|^6, `crossentropy` the default.
public enum LossString {
    /// Whether `string` names a loss (so a block attribute is read as one).
    public static func isLoss(_ string: String) -> Bool { string.hasPrefix("powerloss") || string == "crossentropy" }

    /// Parses `powerloss_<m>` (m ≥ 1) or `crossentropy`.
    public static func parse(_ string: String) throws(ConfigError) -> Loss {
        if string == "crossentropy" { return .crossEntropy }
        guard string.hasPrefix("powerloss_"), let m = Float(string.dropFirst("powerloss_".count)), m.isFinite, m >= 1 else {
            throw .badLayerString(string, reason: "not a loss", hint: "write powerloss_6 (Σ|c − t|^6, m ≥ 1) or crossentropy")
        }
        return .power(exponent: m)
    }
}
