import HebbData

/// SoftHebb's training modes (spec §4.2).
public enum TrainingMode: String, Codable, Sendable, CaseIterable {
    /// Each trained block in order: Hebbian blocks unsupervised, BP blocks supervised, one at a time.
    case successive
    /// All Hebbian blocks together, then all BP blocks together (end-to-end BP).
    case consecutive
    /// One hybrid phase on the supervised data: backprop and Hebbian updates every batch.
    case simultaneous
}

/// What a phase does with its blocks.
public enum PhaseKind: String, Codable, Sendable {
    /// Local rules on the unsupervised dataset.
    case unsupervised
    /// Adam on cross-entropy on the supervised dataset.
    case supervised
    /// Adam for BP blocks and local rules for Hebbian blocks, on the supervised dataset.
    case hybrid
}

/// One training phase: which blocks learn, how, and on which data.
public struct Phase: Codable, Sendable, Equatable {
    /// How the blocks learn.
    public var kind: PhaseKind
    /// Indices of the trained blocks, ascending.
    public var blocks: [Int]
    /// Dataset key.
    public var datasetKey: String
    /// Epochs.
    public var epochs: Int
    /// Batch size.
    public var batchSize: Int
    /// Adam base learning rate (supervised and hybrid phases).
    public var learningRate: Float?

    /// Creates a phase.
    public init(kind: PhaseKind, blocks: [Int], datasetKey: String, epochs: Int, batchSize: Int, learningRate: Float?) {
        self.kind = kind
        self.blocks = blocks
        self.datasetKey = datasetKey
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
    }

    /// Plans the phases of `mode` over `trainingBlocks` (all blocks when nil).
    public static func plan(
        model: ResolvedModel, mode: TrainingMode, trainingBlocks: [Int]?,
        unsupervised: DatasetConfig, supervised: DatasetConfig
    ) throws(ConfigError) -> [Phase] {
        let all = Array(model.blocks.indices)
        let chosen = trainingBlocks ?? all
        if let bad = chosen.first(where: { !all.contains($0) }) {
            throw .badBlock(preset: model.name, block: bad, reason: "--training-blocks names a block the model does not have (0…\(all.count - 1))")
        }
        let ordered = Array(Set(chosen)).sorted()
        let isHebbian = { (i: Int) in model.blocks[i].config.layer.kind.isHebbian }
        // A supervised Hebbian classifier or a wta layer with a teacher learns from targets, so it
        // trains in supervised phases.
        let isUnsupervised = { (i: Int) in isHebbian(i) && !model.blocks[i].config.layer.learnsFromLabels }
        let rate = { (blocks: [Int]) in blocks.map { model.blocks[$0].config.layer.supervisedLearningRate }.min() }
        func unsup(_ blocks: [Int]) -> Phase {
            Phase(kind: .unsupervised, blocks: blocks, datasetKey: unsupervised.key, epochs: unsupervised.epochs, batchSize: unsupervised.batchSize, learningRate: nil)
        }
        func sup(_ blocks: [Int], _ kind: PhaseKind = .supervised) -> Phase {
            let bp = blocks.filter { !isHebbian($0) }
            return Phase(kind: kind, blocks: blocks, datasetKey: supervised.key, epochs: supervised.epochs, batchSize: supervised.batchSize, learningRate: rate(bp))
        }
        switch mode {
        case .successive:
            return ordered.map { isUnsupervised($0) ? unsup([$0]) : sup([$0]) }
        case .consecutive:
            let hebbian = ordered.filter(isUnsupervised)
            let rest = ordered.filter { !isUnsupervised($0) }
            return (hebbian.isEmpty ? [] : [unsup(hebbian)]) + (rest.isEmpty ? [] : [sup(rest)])
        case .simultaneous:
            guard ordered.contains(where: { !isHebbian($0) }) else {
                throw .unsupported("simultaneous training without a backprop block among the trained blocks", hint: "include the classifier in --training-blocks or use --training-mode consecutive")
            }
            return [sup(ordered, .hybrid)]
        }
    }
}
