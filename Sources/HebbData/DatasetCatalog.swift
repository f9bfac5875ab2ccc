import HebbTensor

/// The dataset keys this package knows, resolved to `DatasetConfig`s.
///
/// A key is `FAMILY` or `FAMILY_VARIANT` (split at the first `_`); the variant overrides the
/// family's base config (SoftHebb `presets.json`, `dataset` section). Both families share the
/// variant table below. Deviations from the original: `_1` exists for both families (1 epoch,
/// batch 32, print every epoch: the MNIST budget of spec §6, 1875 updates of batch 32), and `_1c` trains on all samples
/// of class 1 instead of the original's impossible `training_sample` of 59000.
public enum DatasetCatalog {
    /// One row of the variant table.
    private struct Variant: Sendable {
        let suffix: String
        let epochs: Int
        let printFrequency: Int
        let batchSize: Int
        var augmentation = false
        var noise: Float = 0
        var classes: [Int]? = nil
    }

    /// Variant suffixes in display order (columns: epochs, print frequency, batch size).
    private static let variants: [Variant] = [
        Variant(suffix: "100aug", epochs: 100, printFrequency: 50, batchSize: 64, augmentation: true, noise: 1),
        Variant(suffix: "1aug", epochs: 1, printFrequency: 50, batchSize: 32, augmentation: true, noise: 0),
        Variant(suffix: "1", epochs: 1, printFrequency: 1, batchSize: 32),
        Variant(suffix: "1-1", epochs: 1, printFrequency: 1, batchSize: 1),
        Variant(suffix: "1-10", epochs: 1, printFrequency: 1, batchSize: 5),  // sic: batch 5
        Variant(suffix: "1-32", epochs: 1, printFrequency: 1, batchSize: 32),
        Variant(suffix: "1c", epochs: 2, printFrequency: 1, batchSize: 64, classes: [1]),
        Variant(suffix: "2", epochs: 2, printFrequency: 1, batchSize: 10),
        Variant(suffix: "5", epochs: 5, printFrequency: 1, batchSize: 32),
        Variant(suffix: "10", epochs: 10, printFrequency: 5, batchSize: 32),
        Variant(suffix: "20", epochs: 20, printFrequency: 5, batchSize: 64),
        Variant(suffix: "50", epochs: 50, printFrequency: 10, batchSize: 64),
    ]

    /// Every known key, family by family, base key first.
    public static var allKeys: [String] {
        DatasetFamily.allCases.flatMap { family in
            [family.rawValue] + variants.map { "\(family.rawValue)_\($0.suffix)" }
        }
    }

    /// The config for `key` (case-sensitive); unknown keys throw `unknownDatasetKey` with the
    /// nearest known key by edit distance as a suggestion.
    public static func resolve(key: String) throws -> DatasetConfig {
        let parts = key.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
        guard let family = DatasetFamily(rawValue: String(parts[0])) else {
            throw DataError.unknownDatasetKey(key, suggestion: suggestion(for: key))
        }
        var config = DatasetConfig.base(family: family)
        config.key = key
        guard parts.count == 2 else { return config }
        guard let variant = variants.first(where: { $0.suffix == parts[1] }) else {
            throw DataError.unknownDatasetKey(key, suggestion: suggestion(for: key))
        }
        config.epochs = variant.epochs
        config.printFrequency = variant.printFrequency
        config.batchSize = variant.batchSize
        config.augmentation = variant.augmentation
        config.noiseStandardDeviation = variant.noise
        config.trainingClasses = variant.classes
        return config
    }

    /// The known key closest to `key` (case-insensitive Levenshtein distance ≤ 3, first on
    /// ties), or nil when nothing is close.
    public static func suggestion(for key: String) -> String? {
        EditDistance.closest(to: key, among: allKeys, maxDistance: 3)
    }
}
