/// Which part of a dataset's files a key trains on (SoftHebb's `split`).
public enum DatasetSplit: String, Codable, CaseIterable, Sendable {
    /// The official training files.
    case train
    /// STL-10's 100 000 unlabelled images (label −1).
    case unlabeled
    /// STL-10's training images followed by the unlabelled ones (105 000).
    case trainAndUnlabeled = "train+unlabeled"
    /// ImageNetV2 matched-frequency (one folder that is also the evaluation set).
    case validation = "val"
    /// ImageNetV2 threshold-0.7 and top-images (one folder that is also the evaluation set).
    case test
}

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
    /// Image height in pixels (H); image folders are resized to it.
    public var height: Int
    /// Image width in pixels (W); image folders are resized to it.
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
    /// Whether batch-time augmentation is on (`batchAugmentation` says which).
    public var augmentation: Bool
    /// σ of the additive noise `x + N(0,1)·σ` applied per pixel when `augmentation` is on
    /// (MNIST and Fashion-MNIST only).
    public var noiseStandardDeviation: Float
    /// Keep only these classes in the training set (`nil`: all classes).
    public var trainingClasses: [Int]?
    /// Fraction of the training samples held out for validation when validation is on.
    public var validationSplit: Double
    /// Seed of the index shuffle.
    public var seed: Int
    /// Whether the index universe is shuffled before taking the training (and validation) part.
    public var shuffle: Bool
    /// Which files the training set comes from.
    public var split: DatasetSplit
    /// SoftHebb's `zca_whitened` (the `…zca…` keys, or the `:zca` key modifier): standardise per
    /// channel, then ZCA-whiten (ε = 0.1), both with statistics of the training rows only.
    public var zcaWhitened: Bool
    /// Per-channel standardisation with the training rows' mean and std (`:std` key modifier).
    public var standardized = false
    /// SoftHebb's `px` for ImageNette: which download is read (nil: full-size `imagenette2`,
    /// 320: `imagenette2-320`, anything else: `imagenette2-160`); images are resized to W×H anyway.
    public var sourcePixels: Int?

    /// The family's base configuration (the plain `FAMILY` key; SoftHebb's family `default`).
    public static func base(family: DatasetFamily) -> DatasetConfig {
        var config = DatasetConfig(
            family: family, key: family.rawValue, channels: family.imageShape[0],
            height: family.imageShape[1], width: family.imageShape[2], classCount: family.classCount,
            trainingSample: 60000, epochs: 100, printFrequency: 50, batchSize: 64,
            augmentation: false, noiseStandardDeviation: 0, trainingClasses: nil,
            validationSplit: 0.2, seed: 0, shuffle: true, split: .train, zcaWhitened: false, sourcePixels: nil)
        switch family {
        case .mnist, .fashionMNIST:
            break
        case .cifar10:
            (config.trainingSample, config.epochs, config.printFrequency) = (50000, 50, 10)
        case .cifar100:
            (config.trainingSample, config.epochs, config.printFrequency) = (50000, 100, 10)
        case .stl10:
            (config.trainingSample, config.epochs, config.printFrequency) = (5000, 100, 25)
        case .imageNet:
            (config.trainingSample, config.printFrequency, config.batchSize) = (1_281_167, 10, 100)
        case .imageNette:
            (config.trainingSample, config.printFrequency, config.batchSize) = (9469, 10, 100)
            config.sourcePixels = 160
        case .imageNetV2MatchedFrequency, .imageNetV2Threshold07, .imageNetV2TopImages:
            (config.trainingSample, config.printFrequency, config.batchSize) = (10000, 10, 100)
            config.split = family == .imageNetV2MatchedFrequency ? .validation : .test
        }
        return config
    }

    /// Pixels per image (C·H·W).
    public var imageSize: Int { channels * height * width }

    /// σ to apply at batch time: `noiseStandardDeviation` when augmentation is on, else 0.
    public var effectiveNoise: Float { augmentation ? noiseStandardDeviation : 0 }

    /// The per-sample training transform (spec §2.3): none without `augmentation`; Gaussian
    /// noise for MNIST/Fashion-MNIST; reflect-padded crop + flip for CIFAR and STL-10;
    /// random resized crop + flip for the ImageNet-style families.
    public var batchAugmentation: BatchAugmentation {
        guard augmentation else { return .none }
        switch family.storage {
        case .idx: return .gaussianNoise(standardDeviation: noiseStandardDeviation)
        case .cifarBinary, .stlBinary: return .reflectCropAndFlip
        case .imageFolder: return .imageNetResizedCrop
        }
    }

    /// The sub-directory of a search root holding the files (ImageNette's follows `sourcePixels`,
    /// spec §2.3).
    public var directoryName: String {
        guard family == .imageNette else { return family.directoryName }
        switch sourcePixels {
        case nil: return "imagenette2"
        case 320?: return "imagenette2-320"
        default: return "imagenette2-160"
        }
    }
}
