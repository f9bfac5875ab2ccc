import HebbTensor

/// A loaded dataset ready for training: the training images, the rows of them to train on,
/// and the evaluation set (the official test split, or the held-out validation part).
public struct DatasetSplits: Sendable {
    /// The config this was loaded with.
    public let config: DatasetConfig
    /// The training images (not class-filtered; for image folders only the rows the split uses,
    /// decoded); train only on `trainIndices`.
    public let train: LabeledImages
    /// Rows of `train` used for training, in the seeded shuffle order.
    public let trainIndices: [Int]
    /// The official test split, or (with validation) the validation rows copied out of `train`.
    public let evaluation: LabeledImages
    /// Whether `evaluation` is the validation part of the training file.
    public let evaluationIsValidation: Bool

    /// σ of the batch-time Gaussian noise for training batches (0 without augmentation, and for
    /// every family but MNIST/Fashion-MNIST: see `augmentation`).
    public var noiseStandardDeviation: Float { config.effectiveNoise }

    /// Splits `train` per `config` (pure: no file access; `test` is ignored with validation).
    ///
    /// The rows are chosen by `selectRows(config:labels:validation:)`.
    public init(config: DatasetConfig, train: LabeledImages, test: LabeledImages, validation: Bool) throws {
        try Self.check(config: config, images: train)
        let rows = try Self.selectRows(config: config, labels: train.labels, validation: validation)
        if !validation { try Self.check(config: config, images: test) }
        self.init(
            config: config, train: train, trainIndices: rows.train,
            evaluation: validation ? train.subset(rows.validation) : test, evaluationIsValidation: validation)
    }

    /// Memberwise construction from parts already checked and selected.
    init(
        config: DatasetConfig, train: LabeledImages, trainIndices: [Int], evaluation: LabeledImages,
        evaluationIsValidation: Bool
    ) {
        self.config = config
        self.train = train
        self.trainIndices = trainIndices
        self.evaluation = evaluation
        self.evaluationIsValidation = evaluationIsValidation
    }

    /// The training rows and validation rows of a training set with these `labels` (pure).
    ///
    /// The index universe is every row, or only the rows of `trainingClasses`. When `shuffle` is
    /// on it is permuted by `SeededGenerator(seed: config.seed)`. Of the first
    /// `budget = min(trainingSample, universe)` indices, validation takes the first
    /// `floor(budget·validationSplit)` and training the rest; without validation training takes
    /// all `budget` and validation none. The universe is the real number of rows (spec §7.22's
    /// fix for ImageNet's 1 000 000).
    public static func selectRows(
        config: DatasetConfig, labels: [Int32], validation: Bool
    ) throws -> (train: [Int], validation: [Int]) {
        var universe = Array(labels.indices)
        if let classes = config.trainingClasses {
            if let bad = classes.first(where: { $0 < 0 || $0 >= config.classCount }) {
                throw DataError.invalidConfig(
                    key: config.key, reason: "training class \(bad) is outside 0..<\(config.classCount)")
            }
            let wanted = Set(classes.map { Int32($0) })
            universe = universe.filter { wanted.contains(labels[$0]) }
        }
        guard !universe.isEmpty else {
            throw DataError.invalidConfig(key: config.key, reason: "no training samples of the selected classes")
        }
        if config.shuffle {
            var rng = SeededGenerator(seed: UInt64(bitPattern: Int64(config.seed)))
            let permutation = rng.permutation(universe.count)
            universe = permutation.map { universe[$0] }
        }
        guard config.trainingSample > 0 else {
            throw DataError.invalidConfig(key: config.key, reason: "trainingSample must be positive")
        }
        let budget = min(config.trainingSample, universe.count)
        let validationCount = validation ? Int((Double(budget) * config.validationSplit).rounded(.down)) : 0
        guard budget - validationCount > 0 else {
            throw DataError.invalidConfig(key: config.key, reason: "the training part is empty")
        }
        return (Array(universe[validationCount..<budget]), Array(universe[0..<validationCount]))
    }

    /// Throws `invalidConfig` when the training images include unlabelled ones (STL-10's
    /// unlabelled splits): call it before a supervised phase, which needs a label per sample.
    public func requireLabels() throws {
        let unlabeled = trainIndices.reduce(0) { $0 + (train.labels[$1] < 0 ? 1 : 0) }
        guard unlabeled == 0 else {
            throw DataError.invalidConfig(
                key: config.key,
                reason: "\(unlabeled) of its \(trainIndices.count) training images have no label; "
                    + "use it only for unsupervised (Hebbian) phases")
        }
    }

    /// The per-sample transform for training batches (`config.batchAugmentation`).
    public var augmentation: BatchAugmentation { config.batchAugmentation }

    /// A fresh permutation of `trainIndices` for one epoch, drawn from the caller's generator.
    public func epochOrder(using rng: inout SeededGenerator) -> [Int] {
        rng.permutation(trainIndices.count).map { trainIndices[$0] }
    }

    /// Throws when the images' shape or class count disagree with `config`, or the config's
    /// sizes are unusable.
    static func check(config: DatasetConfig, images: LabeledImages) throws {
        try check(config: config, channels: images.channels, height: images.height, width: images.width)
        guard images.classCount <= config.classCount else {
            throw DataError.invalidConfig(
                key: config.key, reason: "trainingSample, batchSize must be positive and labels < classCount")
        }
    }

    /// Throws when images of this shape disagree with `config` (height and width default to the
    /// config's: image folders are resized to it), or the config's sizes are unusable.
    static func check(config: DatasetConfig, channels: Int, height: Int? = nil, width: Int? = nil) throws {
        let expected = [config.channels, config.height, config.width]
        let found = [channels, height ?? config.height, width ?? config.width]
        guard expected == found, config.height > 0, config.width > 0 else {
            throw DataError.shapeMismatch(path: config.key, expected: expected, found: found)
        }
        guard config.validationSplit >= 0, config.validationSplit < 1 else {
            throw DataError.invalidConfig(
                key: config.key, reason: "validationSplit \(config.validationSplit) is outside [0, 1)")
        }
        guard config.trainingSample > 0, config.batchSize > 0 else {
            throw DataError.invalidConfig(
                key: config.key, reason: "trainingSample, batchSize must be positive and labels < classCount")
        }
    }
}
