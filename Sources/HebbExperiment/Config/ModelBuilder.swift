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
    /// Features entering the layer.
    public var inputFeatures: Int
    /// Features leaving the block.
    public var outputFeatures: Int
    /// Weight init of a Hebbian layer (nil for BP layers, which use PyTorch's default).
    public var initialisation: WeightInitialisation?
}

/// A model after the dimension pass.
public struct ResolvedModel: Codable, Sendable, Equatable {
    /// Preset name or layer strings.
    public var name: String
    /// Input shape and classes.
    public var data: DataShape
    /// Blocks, input first.
    public var blocks: [ResolvedBlock]
}

/// Dimension pass, weight init and rule choice (SoftHebb spec §1.5).
public enum ModelBuilder {
    /// Propagates sizes through the blocks; a last BP block gets one unit per class.
    public static func resolve(_ model: ModelConfig, data: DataShape) throws(ConfigError) -> ResolvedModel {
        var features = data.channels * data.height * data.width
        var spatial = data.height * data.width
        var resolved: [ResolvedBlock] = []
        for (index, block) in model.blocks.enumerated() {
            var config = block
            let layer = config.layer
            guard layer.arch == .mlp else {
                throw .unsupported("convolutional block b\(index) (\(LayerString.render(layer)))", hint: "this build trains MLP presets such as 2SoftMlpMNIST and KrotovMlpMNIST")
            }
            if config.pool != nil { throw .badBlock(preset: model.name, block: index, reason: "pooling needs a CNN block") }
            if spatial > 1 && !config.operations.flatten {
                throw .badBlock(preset: model.name, block: index, reason: "an MLP block on \(data.channels)×\(data.height)×\(data.width) images needs the 'flatten' operation")
            }
            if config.operations.flatten { spatial = 1 }
            if layer.kind == .supervisedSoftKrotov || layer.metricMode == "supervised" {
                throw .unsupported("the supervised Hebbian classifier (block b\(index))", hint: "use a BP-c10 classifier block")
            }
            if layer.kind.isHebbian && layer.addBias {
                throw .unsupported("a Hebbian bias (b1, block b\(index))", hint: "use b0")
            }
            if index == model.blocks.count - 1 && !layer.kind.isHebbian { config.layer.outChannels = data.classCount }
            guard let out = config.layer.outChannels else {
                throw .badBlock(preset: model.name, block: index, reason: "layer needs a width token c<units>")
            }
            if layer.kind == .hardKrotov && layer.rankingK > out {
                throw .badBlock(preset: model.name, block: index, reason: "ranking k \(layer.rankingK) exceeds the \(out) units")
            }
            var initialisation: WeightInitialisation?
            if layer.kind.isHebbian {
                let useNormal = layer.initialisation == .normal
                    || (layer.initialisation == .automatic && config.operations.normalisesInput)
                initialisation = useNormal
                    ? .normal(radius: layer.radius, lebesguePower: layer.lebesguePower, fanIn: features)
                    : .positiveUniform(radius: layer.radius, lebesguePower: layer.lebesguePower, fanIn: features)
            }
            resolved.append(ResolvedBlock(config: config, inputFeatures: features, outputFeatures: out, initialisation: initialisation))
            features = out
        }
        return ResolvedModel(name: model.name, data: data, blocks: resolved)
    }

    /// Builds the model with weights drawn from `rng`, block by block.
    public static func build(_ model: ResolvedModel, using rng: inout SeededGenerator) -> Model {
        Model(blocks: model.blocks.map { block in
            let config = block.config
            let (n, o) = (block.inputFeatures, block.outputFeatures)
            let layer: BlockLayer
            if let initialisation = block.initialisation {
                layer = .hebbian(HebbianLinear(weight: initialisation.sample([o, n], using: &rng), lebesguePower: config.layer.lebesguePower))
            } else {
                layer = .linear(Linear(inputFeatures: n, outputFeatures: o, using: &rng))
            }
            let normalised = config.operations.batchNorm1d || config.operations.batchNorm2d
            return Block(
                inputNorm: normalised ? BatchNorm(channels: n) : nil,
                dropout: config.dropout.map { Dropout(probability: $0) },
                layer: layer, activation: config.activation,
                outputNorm: config.outputBatchNorm ? BatchNorm(channels: o) : nil)
        })
    }

    /// The local rule of a Hebbian layer (nil for BP layers).
    public static func rule(for layer: LayerConfig) -> (any LearningRule)? {
        switch layer.kind {
        case .backprop, .supervisedSoftKrotov: return nil
        case .hard: return HardWinnerTakeAll()
        case .hardKrotov: return KrotovHopfield(rankingK: layer.rankingK, antiHebbianStrength: layer.antiHebbianStrength)
        case .soft: return SoftHebb(inverseTemperature: layer.inverseTemperature, antiHebbian: false)
        case .softKrotov: return SoftHebb(inverseTemperature: layer.inverseTemperature, antiHebbian: true)
        }
    }
}
