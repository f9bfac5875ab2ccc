// The variant tables of spec §2.2, transcribed from SoftHebb's `presets.json` (`dataset` section).
// Each row lists only what the variant overrides in the family's base config
// (`DatasetConfig.base(family:)`). Columns: ep = epochs, pf = print frequency, bs = batch size.

extension DatasetCatalog {
    /// The variants of `family`, in display order.
    static func variants(of family: DatasetFamily) -> [Variant] {
        switch family {
        case .mnist, .fashionMNIST: return mnistVariants
        case .cifar10: return cifar10Variants
        case .cifar100: return cifar100Variants
        case .stl10: return stl10Variants
        case .imageNet: return imageNetVariants
        case .imageNette: return imageNetteVariants
        case .imageNetV2MatchedFrequency, .imageNetV2Threshold07, .imageNetV2TopImages: return imageNetV2Variants
        }
    }

    /// MNIST and Fashion-MNIST (base: ep 100, pf 50, bs 64).
    static let mnistVariants: [Variant] = [
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

    /// Epoch-only variants `_50`, `_70`, `_100`, `_1000` (CIFAR-10 and CIFAR-100).
    private static let epochVariants: [Variant] = ([50, 70, 100, 1000] as [Int]).map { Variant(suffix: "\($0)", epochs: $0) }

    /// The ZCA variants of both CIFARs (standardise, then ZCA-whiten: `DatasetConfig.zcaWhitened`).
    private static let zcaVariants: [Variant] = [
        Variant(suffix: "zca", epochs: 10, zcaWhitened: true),
        Variant(suffix: "50zca", epochs: 50, zcaWhitened: true),
        Variant(suffix: "100zca", epochs: 100, zcaWhitened: true),
        Variant(suffix: "1zca", epochs: 1, batchSize: 32, zcaWhitened: true),
        Variant(suffix: "zca100", epochs: 100, zcaWhitened: true),
        Variant(suffix: "zca50", epochs: 50, zcaWhitened: true),
        Variant(suffix: "zca1", epochs: 1, zcaWhitened: true),
    ]

    /// Few-sample variants `_1p`, `_2p`, `_5p`, `_10p` shared by both CIFARs.
    private static let fewSampleVariants: [Variant] = [
        Variant(suffix: "1p", epochs: 500, printFrequency: 50, batchSize: 10, augmentation: false, trainingSample: 500),
        Variant(suffix: "2p", epochs: 250, printFrequency: 50, batchSize: 10, augmentation: true, trainingSample: 1000),
        Variant(suffix: "5p", epochs: 100, printFrequency: 50, batchSize: 10, augmentation: true, trainingSample: 5000),
        Variant(suffix: "10p", epochs: 10, batchSize: 10, trainingSample: 5000),
    ]

    /// CIFAR-10 (base: ep 50, pf 10, bs 64, 50 000 samples).
    static let cifar10Variants: [Variant] =
        [
            Variant(suffix: "1", epochs: 1, batchSize: 10),
            Variant(suffix: "1-50", epochs: 1, batchSize: 50),
            Variant(suffix: "1-1", epochs: 1, batchSize: 1),
            Variant(suffix: "2", epochs: 2, printFrequency: 50, batchSize: 10),
            Variant(suffix: "10", epochs: 10, printFrequency: 50, batchSize: 10),
            Variant(suffix: "20", epochs: 20, batchSize: 10),
        ] + epochVariants
        + [Variant(suffix: "1c", classes: [8])]
        + (0..<10).map { (k: Int) in Variant(suffix: "1c\(k)", epochs: 10, classes: [k], trainingSample: 5000) }
        + [
            Variant(
                suffix: "1p100e", epochs: 100, printFrequency: 50, batchSize: 10, augmentation: false,
                trainingSample: 500)
        ]
        + fewSampleVariants + zcaVariants

    /// CIFAR-100 (base: ep 100, pf 10, bs 64, 50 000 samples, 100 classes).
    static let cifar100Variants: [Variant] =
        [
            Variant(suffix: "1", epochs: 1, printFrequency: 50, batchSize: 10),
            Variant(suffix: "1-50", epochs: 1, printFrequency: 50, batchSize: 50),
            Variant(suffix: "2", epochs: 2, printFrequency: 50, batchSize: 10),
            Variant(suffix: "5", epochs: 5, batchSize: 10),
            Variant(suffix: "10", epochs: 10, batchSize: 10),
            Variant(suffix: "20", epochs: 20, batchSize: 32),
        ] + epochVariants + [Variant(suffix: "1c", classes: [8])] + fewSampleVariants + zcaVariants

    /// STL-10 (base: train split, ep 100, pf 25, bs 64, 5 000 samples).
    static let stl10Variants: [Variant] = [
        Variant(suffix: "aug", epochs: 100, printFrequency: 10, batchSize: 64, augmentation: true),
        Variant(suffix: "10", epochs: 10, printFrequency: 10, batchSize: 64),
        Variant(suffix: "50", epochs: 50, printFrequency: 10, batchSize: 32),
        Variant(suffix: "50aug", epochs: 50, printFrequency: 10, batchSize: 64, augmentation: true),
        Variant(suffix: "100aug", epochs: 100, printFrequency: 10, batchSize: 64, augmentation: true),
        Variant(suffix: "200aug", epochs: 200, printFrequency: 50, batchSize: 64, augmentation: true),
        Variant(suffix: "500aug", epochs: 500, printFrequency: 100, batchSize: 64, augmentation: true),
        Variant(suffix: "1", epochs: 1, printFrequency: 1, batchSize: 32),
        Variant(suffix: "unlabel", epochs: 1, batchSize: 32, trainingSample: 100_000, split: .unlabeled),
        Variant(suffix: "unlabel-10", epochs: 10, batchSize: 32, trainingSample: 100_000, split: .unlabeled),
        Variant(
            suffix: "train+unlabel", epochs: 50, batchSize: 32, augmentation: true, trainingSample: 105_000,
            split: .trainAndUnlabeled),
    ]

    /// ImageNet (base: 256 px, ep 100, pf 10, bs 100, 1 281 167 samples).
    static let imageNetVariants: [Variant] = [
        Variant(suffix: "50", epochs: 50, printFrequency: 10, batchSize: 32),
        Variant(suffix: "200aug160", epochs: 200, printFrequency: 10, batchSize: 32, augmentation: true, size: 160),
        Variant(
            suffix: "1160", epochs: 1, printFrequency: 10, batchSize: 10, augmentation: true, trainingSample: 128_116,
            size: 160),
        Variant(suffix: "1", epochs: 1, printFrequency: 10, batchSize: 10, augmentation: false, trainingSample: 128_116),
        Variant(suffix: "200aug", epochs: 200, printFrequency: 50, batchSize: 32, augmentation: true),
    ]

    /// The three ImageNetV2 families (base: 256 px, ep 100, pf 10, bs 100, 10 000 samples).
    static let imageNetV2Variants: [Variant] = [
        Variant(suffix: "200aug160", epochs: 200, printFrequency: 10, batchSize: 32, augmentation: true, size: 160),
        Variant(suffix: "160", printFrequency: 10, batchSize: 32, size: 160),
    ]

    /// ImageNette (base: px 160, 160 px, ep 100, pf 10, bs 100, 9 469 samples).
    static let imageNetteVariants: [Variant] = [
        Variant(suffix: "50", epochs: 50, printFrequency: 10, batchSize: 32),
        Variant(suffix: "10", epochs: 10, printFrequency: 10, batchSize: 32),
        Variant(suffix: "10+250px", epochs: 10, printFrequency: 10, batchSize: 32, size: 250, sourcePixels: 250),
        Variant(suffix: "20", epochs: 20, printFrequency: 10, batchSize: 32),
        Variant(suffix: "40", epochs: 40, printFrequency: 10, batchSize: 32),
        Variant(suffix: "200aug", epochs: 200, printFrequency: 50, batchSize: 32, augmentation: true),
        Variant(
            suffix: "200aug+250px", epochs: 200, printFrequency: 50, batchSize: 32, augmentation: true, size: 250,
            sourcePixels: 250),
        Variant(suffix: "100aug", epochs: 100, printFrequency: 20, batchSize: 64, augmentation: true),
        Variant(suffix: "1", epochs: 1, printFrequency: 10, batchSize: 10),
        Variant(suffix: "5", epochs: 5, printFrequency: 10, batchSize: 32),
    ]
}
