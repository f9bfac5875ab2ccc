import HebbTensor

/// The dataset keys this package knows, resolved to `DatasetConfig`s (spec §2.2).
///
/// A key is `FAMILY` or `FAMILY_VARIANT` (split at the first `_`); the variant overrides the
/// family's base config (SoftHebb `presets.json`, `dataset` section; tables in
/// `DatasetCatalog+Variants.swift`). Deviations from the original: `_1` exists for MNIST and
/// Fashion-MNIST (1 epoch, batch 32, print every epoch: the MNIST budget of spec §6, 1875
/// updates of batch 32), Fashion-MNIST has all of MNIST's variants, and `_1c` trains on all
/// samples of its class instead of a `training_sample` larger than the class (every class filter
/// keeps at most `trainingSample` of the class's images).
public enum DatasetCatalog {
    /// One row of a variant table: the fields a variant overrides (nil: keep the base value).
    struct Variant: Sendable {
        let suffix: String
        var epochs: Int? = nil
        var printFrequency: Int? = nil
        var batchSize: Int? = nil
        var augmentation: Bool? = nil
        var noise: Float? = nil
        var classes: [Int]? = nil
        var trainingSample: Int? = nil
        /// Width = height in pixels.
        var size: Int? = nil
        var split: DatasetSplit? = nil
        var zcaWhitened: Bool? = nil
        var sourcePixels: Int? = nil

        /// Applies the overrides to `config`.
        func apply(to config: inout DatasetConfig) {
            if let epochs { config.epochs = epochs }
            if let printFrequency { config.printFrequency = printFrequency }
            if let batchSize { config.batchSize = batchSize }
            if let augmentation { config.augmentation = augmentation }
            if let noise { config.noiseStandardDeviation = noise }
            if let classes { config.trainingClasses = classes }
            if let trainingSample { config.trainingSample = trainingSample }
            if let size { (config.width, config.height) = (size, size) }
            if let split { config.split = split }
            if let zcaWhitened { config.zcaWhitened = zcaWhitened }
            if let sourcePixels { config.sourcePixels = sourcePixels }
        }
    }

    /// Every known key, family by family, base key first.
    public static var allKeys: [String] {
        DatasetFamily.allCases.flatMap { family in
            [family.rawValue] + variants(of: family).map { "\(family.rawValue)_\($0.suffix)" }
        }
    }

    /// The keys of one family, base key first.
    public static func keys(of family: DatasetFamily) -> [String] {
        [family.rawValue] + variants(of: family).map { "\(family.rawValue)_\($0.suffix)" }
    }

    /// The config for `key` (case-sensitive); unknown keys throw `unknownDatasetKey` with the
    /// nearest known key by edit distance as a suggestion.
    ///
    /// Modifiers follow the key after `:`: `std` (per-channel standardisation), `zca`
    /// (standardisation, then ZCA whitening), `eN` (N epochs) and `bN` (batches of N), e.g.
    /// `CIFAR10_50:zca`, `MNIST_5:std`, `FashionMNIST_1:std:e10:b4`.
    public static func resolve(key: String) throws -> DatasetConfig {
        let pieces = key.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var config = try resolveBase(key: pieces[0], fullKey: key)
        config.key = key
        for modifier in pieces.dropFirst() {
            switch modifier {
            case "std": config.standardized = true
            case "zca": config.zcaWhitened = true
            case _ where modifier.hasPrefix("e") || modifier.hasPrefix("b"):
                guard let value = Int(modifier.dropFirst()), value > 0, value <= 1_000_000 else {
                    throw DataError.invalidConfig(
                        key: key, reason: "'\(modifier)' needs a positive whole number (e.g. e20 for 20 epochs, b2 for batches of 2)")
                }
                if modifier.hasPrefix("e") { config.epochs = value } else { config.batchSize = value }
            default:
                throw DataError.invalidConfig(
                    key: key, reason: "unknown modifier '\(modifier)' (known: std, zca, eN epochs, bN batch size)")
            }
        }
        return config
    }

    /// `resolve` without modifiers; errors name `fullKey`.
    static func resolveBase(key: String, fullKey: String) throws -> DatasetConfig {
        let parts = key.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
        guard let family = DatasetFamily(rawValue: String(parts[0])) else {
            throw DataError.unknownDatasetKey(fullKey, suggestion: suggestion(for: key))
        }
        var config = DatasetConfig.base(family: family)
        config.key = key
        guard parts.count == 2 else { return config }
        guard let variant = variants(of: family).first(where: { $0.suffix == parts[1] }) else {
            throw DataError.unknownDatasetKey(fullKey, suggestion: suggestion(for: key))
        }
        variant.apply(to: &config)
        return config
    }

    /// The known key closest to `key` (case-insensitive Levenshtein distance ≤ 3, first on
    /// ties), or nil when nothing is close.
    public static func suggestion(for key: String) -> String? {
        EditDistance.closest(to: key, among: allKeys, maxDistance: 3)
    }
}
