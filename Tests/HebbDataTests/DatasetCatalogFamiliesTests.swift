import HebbData
import XCTest

/// Keys of every family against spec §2.2 (SoftHebb's `presets.json`).
final class DatasetCatalogFamiliesTests: XCTestCase {
    /// [C, H, W, classes, trainingSample, epochs, printFrequency, batchSize] of `key`, plus its augmentation flag.
    private func row(_ key: String) throws -> ([Int], Bool) {
        let c = try DatasetCatalog.resolve(key: key)
        XCTAssertEqual(c.key, key)
        return ([c.channels, c.height, c.width, c.classCount, c.trainingSample, c.epochs, c.printFrequency, c.batchSize], c.augmentation)
    }

    private func assertRow(_ key: String, _ expected: [Int], augmentation: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws {
        let (values, augmented) = try row(key)
        XCTAssertEqual(values, expected, key, file: file, line: line)
        XCTAssertEqual(augmented, augmentation, "\(key) augmentation", file: file, line: line)
    }

    func testCIFAR10Keys() throws {
        try assertRow("CIFAR10", [3, 32, 32, 10, 50000, 50, 10, 64])
        try assertRow("CIFAR10_1", [3, 32, 32, 10, 50000, 1, 10, 10])
        try assertRow("CIFAR10_1-50", [3, 32, 32, 10, 50000, 1, 10, 50])
        try assertRow("CIFAR10_2", [3, 32, 32, 10, 50000, 2, 50, 10])
        try assertRow("CIFAR10_20", [3, 32, 32, 10, 50000, 20, 10, 10])
        try assertRow("CIFAR10_50", [3, 32, 32, 10, 50000, 50, 10, 64])
        try assertRow("CIFAR10_1000", [3, 32, 32, 10, 50000, 1000, 10, 64])
        try assertRow("CIFAR10_1p", [3, 32, 32, 10, 500, 500, 50, 10])
        try assertRow("CIFAR10_1p100e", [3, 32, 32, 10, 500, 100, 50, 10])
        try assertRow("CIFAR10_2p", [3, 32, 32, 10, 1000, 250, 50, 10], augmentation: true)
        try assertRow("CIFAR10_5p", [3, 32, 32, 10, 5000, 100, 50, 10], augmentation: true)
        try assertRow("CIFAR10_10p", [3, 32, 32, 10, 5000, 10, 10, 10])
        XCTAssertEqual(try DatasetCatalog.resolve(key: "CIFAR10_1c").trainingClasses, [8])
        let oneClass = try DatasetCatalog.resolve(key: "CIFAR10_1c7")
        XCTAssertEqual([oneClass.trainingClasses ?? [], [oneClass.epochs, oneClass.trainingSample]], [[7], [10, 5000]])
        let zca = try DatasetCatalog.resolve(key: "CIFAR10_1zca")
        XCTAssertTrue(zca.zcaWhitened)
        XCTAssertEqual([zca.epochs, zca.batchSize], [1, 32])
        XCTAssertFalse(try DatasetCatalog.resolve(key: "CIFAR10_50").zcaWhitened)
        XCTAssertEqual(try DatasetCatalog.resolve(key: "CIFAR10_2p").batchAugmentation, .cropAndFlip(padding: 4))
        XCTAssertEqual(try DatasetCatalog.resolve(key: "CIFAR10").batchAugmentation, BatchAugmentation.none)
    }

    func testCIFAR100Keys() throws {
        try assertRow("CIFAR100", [3, 32, 32, 100, 50000, 100, 10, 64])
        try assertRow("CIFAR100_1", [3, 32, 32, 100, 50000, 1, 50, 10])
        try assertRow("CIFAR100_5", [3, 32, 32, 100, 50000, 5, 10, 10])
        try assertRow("CIFAR100_20", [3, 32, 32, 100, 50000, 20, 10, 32])
        try assertRow("CIFAR100_50", [3, 32, 32, 100, 50000, 50, 10, 64])
        try assertRow("CIFAR100_5p", [3, 32, 32, 100, 5000, 100, 50, 10], augmentation: true)
        XCTAssertTrue(try DatasetCatalog.resolve(key: "CIFAR100_zca50").zcaWhitened)
        XCTAssertThrowsError(try DatasetCatalog.resolve(key: "CIFAR100_1c3"), "per-class keys are CIFAR-10 only")
    }

    func testSTL10Keys() throws {
        try assertRow("STL10", [3, 96, 96, 10, 5000, 100, 25, 64])
        try assertRow("STL10_aug", [3, 96, 96, 10, 5000, 100, 10, 64], augmentation: true)
        try assertRow("STL10_50", [3, 96, 96, 10, 5000, 50, 10, 32])
        try assertRow("STL10_100aug", [3, 96, 96, 10, 5000, 100, 10, 64], augmentation: true)
        try assertRow("STL10_500aug", [3, 96, 96, 10, 5000, 500, 100, 64], augmentation: true)
        try assertRow("STL10_unlabel", [3, 96, 96, 10, 100_000, 1, 25, 32])
        try assertRow("STL10_train+unlabel", [3, 96, 96, 10, 105_000, 50, 25, 32], augmentation: true)
        XCTAssertEqual(try DatasetCatalog.resolve(key: "STL10").split, .train)
        XCTAssertEqual(try DatasetCatalog.resolve(key: "STL10_unlabel-10").split, .unlabeled)
        XCTAssertEqual(try DatasetCatalog.resolve(key: "STL10_train+unlabel").split, .trainAndUnlabeled)
    }

    func testImageNetKeys() throws {
        try assertRow("ImageNet", [3, 256, 256, 1000, 1_281_167, 100, 10, 100])
        try assertRow("ImageNet_50", [3, 256, 256, 1000, 1_281_167, 50, 10, 32])
        try assertRow("ImageNet_1160", [3, 160, 160, 1000, 128_116, 1, 10, 10], augmentation: true)
        try assertRow("ImageNet_1", [3, 256, 256, 1000, 128_116, 1, 10, 10])
        try assertRow("ImageNet_200aug160", [3, 160, 160, 1000, 1_281_167, 200, 10, 32], augmentation: true)
        try assertRow("ImageNet_200aug", [3, 256, 256, 1000, 1_281_167, 200, 50, 32], augmentation: true)
        XCTAssertEqual(try DatasetCatalog.resolve(key: "ImageNet_1160").batchAugmentation, .imageNetResizedCrop)
        XCTAssertEqual(DatasetFamily.imageNet.normalization, .imageNet)
        XCTAssertEqual(DatasetFamily.cifar10.normalization, .unitRange)
    }

    func testImageNetV2Keys() throws {
        try assertRow("ImageNetV2MatchedFrequency", [3, 256, 256, 1000, 10000, 100, 10, 100])
        try assertRow("ImageNetV2MatchedFrequency_200aug160", [3, 160, 160, 1000, 10000, 200, 10, 32], augmentation: true)
        try assertRow("ImageNetV2Threshold07_160", [3, 160, 160, 1000, 10000, 100, 10, 32])
        try assertRow("ImageNetV2TopImages", [3, 256, 256, 1000, 10000, 100, 10, 100])
        XCTAssertEqual(try DatasetCatalog.resolve(key: "ImageNetV2MatchedFrequency").split, .validation)
        XCTAssertEqual(try DatasetCatalog.resolve(key: "ImageNetV2TopImages_160").split, .test)
        XCTAssertEqual(try DatasetCatalog.resolve(key: "ImageNetV2Threshold07").directoryName, "imagenetv2-threshold0.7-format-val")
    }

    func testImageNetteKeysAndPixelSourceDirectory() throws {
        try assertRow("ImageNette", [3, 160, 160, 10, 9469, 100, 10, 100])
        try assertRow("ImageNette_1", [3, 160, 160, 10, 9469, 1, 10, 10])
        try assertRow("ImageNette_40", [3, 160, 160, 10, 9469, 40, 10, 32])
        try assertRow("ImageNette_10+250px", [3, 250, 250, 10, 9469, 10, 10, 32])
        try assertRow("ImageNette_100aug", [3, 160, 160, 10, 9469, 100, 20, 64], augmentation: true)
        try assertRow("ImageNette_200aug+250px", [3, 250, 250, 10, 9469, 200, 50, 32], augmentation: true)
        var config = try DatasetCatalog.resolve(key: "ImageNette_10+250px")
        XCTAssertEqual(config.sourcePixels, 250)
        XCTAssertEqual(config.directoryName, "imagenette2-160", "any px but 320 and default reads the 160-px download")
        config.sourcePixels = 320
        XCTAssertEqual(config.directoryName, "imagenette2-320")
        config.sourcePixels = nil
        XCTAssertEqual(config.directoryName, "imagenette2")
    }

    func testAllKeys_uniqueResolveAndCoverEveryFamily() throws {
        let keys = DatasetCatalog.allKeys
        XCTAssertEqual(Set(keys).count, keys.count)
        XCTAssertEqual(
            DatasetFamily.allCases.map { DatasetCatalog.keys(of: $0).count }, [13, 13, 34, 23, 12, 6, 11, 3, 3, 3])
        for key in keys {
            let config = try DatasetCatalog.resolve(key: key)
            XCTAssertEqual(DatasetFamily(key: key), config.family, key)
            XCTAssertEqual(config.family.storage == .imageFolder, config.family.normalization == .imageNet)
        }
    }

    func testUnknownKeys_suggestTheNearestKeyOfAnyFamily() {
        XCTAssertEqual(DatasetCatalog.suggestion(for: "CIFAR10_3"), "CIFAR10_1")
        XCTAssertEqual(DatasetCatalog.suggestion(for: "STL10_unlabeled"), "STL10_unlabel")
        XCTAssertEqual(DatasetCatalog.suggestion(for: "imagenette"), "ImageNette")
        XCTAssertEqual(
            TestFiles.dataError { try DatasetCatalog.resolve(key: "CIFAR10_100aug") },
            .unknownDatasetKey("CIFAR10_100aug", suggestion: "CIFAR10_100"))
    }
}
