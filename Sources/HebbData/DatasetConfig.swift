/// A resolved dataset key: what to load and how to iterate it (SoftHebb's `dataset` presets).
///
/// Property names are the JSON keys (lowerCamel, no `CodingKeys`), so `--set` overrides and
/// stored run configs use the same spelling.
public struct DatasetConfig: Codable, Equatable, Sendable {
    /// Which files to load.
    public var family: DatasetFamily
    /// The key this config was resolved from, e.g. `MNIST_10`.
    public var key: String
    /// Image channels (C).
    public var channels: Int
    /// Image height in pixels (H).
    public var height: Int
    /// Image width in pixels (W).
    public var width: Int
    /// Number of label classes; labels must lie in `0..<classCount`.
    public var classCount: Int
    /// Upper bound on training samples; the actual count is `min(trainingSample, available)`
    /// (minus the validation part when validation is on).
    public var trainingSample: Int
    /// Epochs of the training phase that uses this dataset.
    public var epochs: Int
    /// Evaluate and log every this many epochs.
    public var printFrequency: Int
    /// Mini-batch size.
    public var batchSize: Int
    /// Whether batch-time augmentation is on (for MNIST: additive Gaussian noise).
    public var augmentation: Bool
    /// σ of the additive noise `x + N(0,1)·σ` applied per pixel when `augmentation` is on.
    public var noiseStandardDeviation: Float
    /// Keep only these classes in the training set (`nil`: all classes).
    public var trainingClasses: [Int]?
    /// Fraction of the training samples held out for validation when validation is on.
    public var validationSplit: Double
    /// Seed of the index shuffle.
    public var seed: Int
    /// Whether the index universe is shuffled before taking the training (and validation) part.
    public var shuffle: Bool

    /// The family's base configuration (the plain `MNIST` / `FashionMNIST` key).
    public static func base(family: DatasetFamily) -> DatasetConfig {
        DatasetConfig(
            family: family, key: family.rawValue, channels: family.imageShape[0],
            height: family.imageShape[1], width: family.imageShape[2], classCount: family.classCount,
            trainingSample: 60000, epochs: 100, printFrequency: 50, batchSize: 64,
            augmentation: false, noiseStandardDeviation: 0, trainingClasses: nil,
            validationSplit: 0.2, seed: 0, shuffle: true)
    }

    /// Pixels per image (C·H·W).
    public var imageSize: Int { channels * height * width }

    /// σ to apply at batch time: `noiseStandardDeviation` when augmentation is on, else 0.
    public var effectiveNoise: Float { augmentation ? noiseStandardDeviation : 0 }
}
