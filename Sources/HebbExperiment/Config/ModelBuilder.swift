import HebbModel
import HebbRules
import HebbTensor

/// Image shape and class count a model is built for (the supervised dataset's, as in SoftHebb).
public struct DataShape: Codable, Sendable, Equatable {
    /// Channels C.
    public var channels: Int
    /// Height H.
    public var height: Int
    /// Width W.
    public var width: Int
    /// Number of classes.
    public var classCount: Int

    /// Creates a shape.
    public init(channels: Int, height: Int, width: Int, classCount: Int) {
        self.channels = channels
        self.height = height
        self.width = width
        self.classCount = classCount
    }
}

/// A block after the dimension pass: sizes and init fixed.
public struct ResolvedBlock: Codable, Sendable, Equatable {
    /// The block config, `outChannels` filled in.
    public var config: BlockConfig
    /// Values per sample entering the block (C·H·W).
    public var inputFeatures: Int
    /// Values per sample leaving the block (after pooling).
    public var outputFeatures: Int
    /// Input (C, H, W) of the block; (F, 1, 1) after a fully connected block.
    public var inputShape: [Int]
    /// Output (C, H, W) of the block after pooling.
    public var outputShape: [Int]
    /// Convolution shape of a CNN layer.
    public var convolution: ConvolutionGeometry?
    /// Pooling after the block.
    public var pool: PoolGeometry?
    /// Channels the input batch norm normalises (nil: no input norm).
    public var inputNormChannels: Int?
    /// Weight init of a Hebbian layer (nil for BP layers, which use PyTorch's default).
    public var initialisation: WeightInitialisation?

    /// Fan-in of one unit: C_in/groups·k·k for a convolution, `inputFeatures` otherwise.
    public var fanIn: Int { convolution?.patchWidth ?? inputFeatures }
}

/// A model after the dimension pass.
public struct ResolvedModel: Codable, Sendable, Equatable {
    /// Preset name or layer strings.
    public var name: String
    /// Input shape and classes.
    public var data: DataShape
    /// Blocks, input first.
    public var blocks: [ResolvedBlock]

    /// The supervised loss on the last block's output.
    public var loss: Loss { blocks.last?.config.loss ?? .crossEntropy }
}

/// Dimension pass, weight init and rule choice (SoftHebb spec §1.5).
public enum ModelBuilder {
    /// Propagates sizes through the blocks; a last BP block gets one unit per class.
    public static func resolve(_ model: ModelConfig, data: DataShape) throws(ConfigError) -> ResolvedModel {
        var shape = [data.channels, data.height, data.width]
        var resolved: [ResolvedBlock] = []
        for (index, block) in model.blocks.enumerated() {
            var config = block
            let layer = config.layer
            func bad(_ reason: String) -> ConfigError { .badBlock(preset: model.name, block: index, reason: reason) }
            if layer.kind == .supervisedSoftKrotov {
                guard layer.arch == .mlp, index == model.blocks.count - 1, layer.outChannels == data.classCount else {
                    throw bad("a supervised Hebbian layer must be the last, fully connected block with c\(data.classCount) (one unit per class)")
                }
            } else if layer.metricMode == "supervised" {
                throw .unsupported("metric_mode 'supervised' on a \(layer.kind.rawValue) layer (block b\(index))", hint: "use the supervisedsoftkrotov prefix")
            }
            if config.loss != nil && index != model.blocks.count - 1 {
                throw bad("a loss attribute belongs to the last block")
            }
            if layer.kind.isHebbian && layer.addBias {
                throw .unsupported("a Hebbian bias (b1, block b\(index))", hint: "use b0")
            }
            if index == model.blocks.count - 1 && !layer.kind.isHebbian { config.layer.outChannels = data.classCount }
            guard let out = config.layer.outChannels, out > 0 else { throw bad("layer needs a width token c<units>") }
            let ops = config.operations
            if ops.batchNorm1d && ops.batchNorm2d { throw .unsupported("batchnorm1d and batchnorm2d in one block (b\(index))", hint: "keep one") }
            guard let features = elementCount(shape) else { throw bad("input of \(shape) values per sample overflows Int") }
            let normChannels: Int? = ops.batchNorm2d ? shape[0] : ops.batchNorm1d ? (ops.flatten ? features : shape[0]) : nil
            let inputShape = shape
            if ops.flatten { shape = [features, 1, 1] }
            var convolution: ConvolutionGeometry?
            var fanIn = features
            switch layer.arch {
            case .mlp:
                if shape[1] * shape[2] > 1 {
                    throw bad("an MLP block on \(shape[0])×\(shape[1])×\(shape[2]) inputs needs the 'flatten' operation")
                }
                shape = [out, 1, 1]
            case .cnn:
                let geometry = ConvolutionGeometry(
                    inputChannels: shape[0], inputHeight: shape[1], inputWidth: shape[2], outputChannels: out,
                    kernelSize: layer.kernelSize, stride: layer.stride, padding: layer.padding,
                    dilation: layer.dilation, groups: layer.groups, paddingMode: .reflect)
                if let problem = geometry.problem { throw bad("convolution: \(problem)") }
                convolution = geometry
                fanIn = geometry.patchWidth
                shape = [out, geometry.outputHeight, geometry.outputWidth]
            }
            if layer.kind == .hardKrotov && layer.rankingK > out / layer.groups {
                throw bad("ranking k \(layer.rankingK) exceeds the \(out / layer.groups) units of a competition")
            }
            if let problem = localRuleProblem(layer, units: out, classCount: data.classCount) { throw bad(problem) }
            var pool: PoolGeometry?
            if let string = config.pool {
                let geometry = try parsePool(string, channels: shape[0], height: shape[1], width: shape[2], bad: bad)
                pool = geometry
                shape = [shape[0], geometry.outputHeight, geometry.outputWidth]
            }
            guard let outputFeatures = elementCount(shape) else {
                throw bad("output of \(shape) values per sample overflows Int (use fewer units, a stride or a pool)")
            }
            var initialisation: WeightInitialisation?
            if layer.kind.isHebbian && layer.initialisation == .fanInUniform {
                initialisation = .symmetricUniform(bound: 1 / Float(fanIn).squareRoot())
            } else if layer.kind.isHebbian {
                let useNormal = layer.initialisation == .normal
                    || (layer.initialisation == .automatic && ops.normalisesInput)
                initialisation = useNormal
                    ? .normal(radius: layer.radius, lebesguePower: layer.lebesguePower, fanIn: fanIn)
                    : .positiveUniform(radius: layer.radius, lebesguePower: layer.lebesguePower, fanIn: fanIn)
            }
            resolved.append(ResolvedBlock(
                config: config, inputFeatures: features, outputFeatures: outputFeatures, inputShape: inputShape,
                outputShape: shape, convolution: convolution, pool: pool, inputNormChannels: normChannels,
                initialisation: initialisation))
        }
        return ResolvedModel(name: model.name, data: data, blocks: resolved)
    }

    /// The product of `shape`, or nil when it overflows Int.
    static func elementCount(_ shape: [Int]) -> Int? {
        var product = 1
        for extent in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            product = next
        }
        return product
    }

    /// Parses SoftHebb's `type_kernel_stride_padding` pool strings (`max_4_2_1`, `avg_2_2_0`).
    static func parsePool(
        _ string: String, channels: Int, height: Int, width: Int, bad: (String) -> ConfigError
    ) throws(ConfigError) -> PoolGeometry {
        let parts = string.split(separator: "_").map(String.init)
        let kinds: [String: PoolKind] = ["max": .max, "avg": .average]
        guard parts.count == 4, let kind = kinds[parts[0]], let k = Int(parts[1]), let s = Int(parts[2]),
            let p = Int(parts[3]), k > 0, s > 0, p >= 0
        else { throw bad("pool '\(string)' is not type_kernel_stride_padding (e.g. max_4_2_1, avg_2_2_0)") }
        guard max(k, s, p) <= LayerString.largestSize else {
            throw bad("pool '\(string)' has a size larger than \(LayerString.largestSize) (a typo?)")
        }
        let geometry = PoolGeometry(kind: kind, kernelSize: k, stride: s, padding: p, channels: channels, inputHeight: height, inputWidth: width)
        if let problem = geometry.problem { throw bad("pool '\(string)': \(problem)") }
        return geometry
    }

    /// Builds the model with weights drawn from `rng`, block by block.
    public static func build(_ model: ResolvedModel, using rng: inout SeededGenerator) -> Model {
        Model(blocks: model.blocks.map { block in
            let config = block.config
            let (n, o) = (block.fanIn, config.layer.outChannels ?? 0)
            let layer: BlockLayer
            if let initialisation = block.initialisation {
                layer = .hebbian(HebbianLayer(
                    weight: initialisation.sample([o, n], using: &rng), lebesguePower: config.layer.lebesguePower,
                    geometry: block.convolution, preTriangle: block.convolution != nil && config.layer.preTriangle,
                    similarity: config.layer.similarity ?? .dot,
                    centersPatches: block.convolution != nil && (config.layer.centeredPatches ?? false)))
            } else if let geometry = block.convolution {
                layer = .convolution(Convolution(geometry: geometry, hasBias: config.layer.addBias, using: &rng))
            } else {
                layer = .linear(Linear(inputFeatures: n, outputFeatures: o, using: &rng))
            }
            return Block(
                inputNorm: block.inputNormChannels.map { BatchNorm(channels: $0) },
                dropout: config.dropout.map { Dropout(probability: $0) },
                layer: layer, activation: config.activation,
                outputNorm: config.outputBatchNorm ? BatchNorm(channels: o) : nil, pool: block.pool)
        })
    }
}
