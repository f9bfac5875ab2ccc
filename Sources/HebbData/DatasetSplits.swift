import HebbTensor

/// A loaded dataset ready for training: the training images, the rows of them to train on,
/// and the evaluation set (the official test split, or the held-out validation part).
public struct DatasetSplits: Sendable {
    /// The config this was loaded with.
    public let config: DatasetConfig
    /// The whole training file (not class-filtered); train only on `trainIndices`.
    public let train: LabeledImages
    /// Rows of `train` used for training, in the seeded shuffle order.
    public let trainIndices: [Int]
    /// The official test split, or (with validation) the validation rows copied out of `train`.
    public let evaluation: LabeledImages
    /// Whether `evaluation` is the validation part of the training file.
    public let evaluationIsValidation: Bool

    /// σ of the batch-time Gaussian noise for training batches (0 without augmentation).
    public var noiseStandardDeviation: Float { config.effectiveNoise }

    /// Splits `train` per `config` (pure: no file access; `test` is ignored with validation).
    ///
    /// The index universe is every row of `train`, or only the rows of `trainingClasses`. When
    /// `shuffle` is on it is permuted by `SeededGenerator(seed: config.seed)`. Of the first
    /// `budget = min(trainingSample, universe)` indices, validation takes the first
    /// `floor(budget·validationSplit)` and training the rest; without validation training
    /// takes all `budget`.
    public init(config: DatasetConfig, train: LabeledImages, test: LabeledImages, validation: Bool) throws {
        try Self.check(config: config, images: train)
        var universe = Array(0..<train.count)
        if let classes = config.trainingClasses {
            if let bad = classes.first(where: { $0 < 0 || $0 >= config.classCount }) {
                throw DataError.invalidConfig(
                    key: config.key, reason: "training class \(bad) is outside 0..<\(config.classCount)")
            }
            universe = train.indices(ofClasses: classes)
        }
        guard !universe.isEmpty else {
            throw DataError.invalidConfig(key: config.key, reason: "no training samples of the selected classes")
        }
        if config.shuffle {
            var rng = SeededGenerator(seed: UInt64(bitPattern: Int64(config.seed)))
            let permutation = rng.permutation(universe.count)
            universe = permutation.map { universe[$0] }
        }
        let budget = min(config.trainingSample, universe.count)
        let validationCount = validation ? Int((Double(budget) * config.validationSplit).rounded(.down)) : 0
        guard budget - validationCount > 0 else {
            throw DataError.invalidConfig(key: config.key, reason: "the training part is empty")
        }
        self.config = config
        self.train = train
        self.trainIndices = Array(universe[validationCount..<budget])
        if validation {
            self.evaluation = train.subset(Array(universe[0..<validationCount]))
        } else {
            try Self.check(config: config, images: test)
            self.evaluation = test
        }
        self.evaluationIsValidation = validation
    }

    /// A fresh permutation of `trainIndices` for one epoch, drawn from the caller's generator.
    public func epochOrder(using rng: inout SeededGenerator) -> [Int] {
        rng.permutation(trainIndices.count).map { trainIndices[$0] }
    }

    /// Throws when the images' shape or class count disagree with `config`, or the config's
    /// sizes are unusable.
    static func check(config: DatasetConfig, images: LabeledImages) throws {
        let expected = [config.channels, config.height, config.width]
        let found = [images.channels, images.height, images.width]
        guard expected == found else {
            throw DataError.shapeMismatch(path: config.key, expected: expected, found: found)
        }
        guard config.validationSplit >= 0, config.validationSplit < 1 else {
            throw DataError.invalidConfig(
                key: config.key, reason: "validationSplit \(config.validationSplit) is outside [0, 1)")
        }
        guard config.trainingSample > 0, config.batchSize > 0, images.classCount <= config.classCount else {
            throw DataError.invalidConfig(
                key: config.key, reason: "trainingSample, batchSize must be positive and labels < classCount")
        }
    }
}
