import Foundation
import HebbData
import XCTest

final class DatasetCatalogTests: XCTestCase {
    func testResolve_MNIST_10_hasTenEpochsBatch32Print5() throws {
        let config = try DatasetCatalog.resolve(key: "MNIST_10")
        XCTAssertEqual(config.family, .mnist)
        XCTAssertEqual(config.key, "MNIST_10")
        XCTAssertEqual([config.epochs, config.batchSize, config.printFrequency], [10, 32, 5])
        XCTAssertEqual([config.channels, config.height, config.width, config.classCount], [1, 28, 28, 10])
        XCTAssertEqual(config.trainingSample, 60000)
        XCTAssertEqual(config.validationSplit, 0.2)
        XCTAssertEqual(config.seed, 0)
        XCTAssertTrue(config.shuffle)
        XCTAssertFalse(config.augmentation)
        XCTAssertNil(config.trainingClasses)
    }

    func testResolve_FashionMNIST_1_isStandardUnsupervisedKey() throws {
        let config = try DatasetCatalog.resolve(key: "FashionMNIST_1")
        XCTAssertEqual(config.family, .fashionMNIST)
        XCTAssertEqual([config.epochs, config.batchSize, config.printFrequency], [1, 32, 1])
        XCTAssertEqual(try DatasetCatalog.resolve(key: "MNIST_1").batchSize, 32)
    }

    func testResolve_baseAndSpecialVariants() throws {
        let base = try DatasetCatalog.resolve(key: "FashionMNIST")
        XCTAssertEqual([base.epochs, base.printFrequency, base.batchSize], [100, 50, 64])
        let noisy = try DatasetCatalog.resolve(key: "MNIST_100aug")
        XCTAssertTrue(noisy.augmentation)
        XCTAssertEqual(noisy.effectiveNoise, 1)
        let flat = try DatasetCatalog.resolve(key: "MNIST_1aug")
        XCTAssertEqual([flat.epochs, flat.printFrequency, flat.batchSize], [1, 50, 32])
        XCTAssertEqual(flat.effectiveNoise, 0)
        XCTAssertEqual(try DatasetCatalog.resolve(key: "MNIST_1-10").batchSize, 5)
        let oneClass = try DatasetCatalog.resolve(key: "FashionMNIST_1c")
        XCTAssertEqual(oneClass.trainingClasses, [1])
        XCTAssertEqual(oneClass.epochs, 2)
        XCTAssertEqual(oneClass.trainingSample, 60000)  // capped by what exists: all of class 1
    }

    func testAllKeys_coverBothFamiliesAndResolve() throws {
        let keys = DatasetCatalog.keys(of: .mnist) + DatasetCatalog.keys(of: .fashionMNIST)
        XCTAssertEqual(keys.count, 26)
        XCTAssertEqual(Set(keys).count, keys.count)
        for suffix in ["", "_100aug", "_1aug", "_1", "_1-1", "_1-10", "_1-32", "_1c", "_2", "_5", "_10", "_20", "_50"] {
            XCTAssertTrue(keys.contains("MNIST" + suffix) && keys.contains("FashionMNIST" + suffix), suffix)
        }
        for key in keys { XCTAssertEqual(try DatasetCatalog.resolve(key: key).key, key) }
    }

    func testResolve_unknownKey_suggestsNearest() {
        let error = TestFiles.dataError { try DatasetCatalog.resolve(key: "MNIST_7") }
        XCTAssertEqual(error, .unknownDatasetKey("MNIST_7", suggestion: "MNIST_1"))
        XCTAssertEqual(error?.description, "unknown dataset key 'MNIST_7'; did you mean 'MNIST_1'?")
        XCTAssertEqual(
            TestFiles.dataError { try DatasetCatalog.resolve(key: "fashionmnist") },
            .unknownDatasetKey("fashionmnist", suggestion: "FashionMNIST"))
        XCTAssertEqual(
            TestFiles.dataError { try DatasetCatalog.resolve(key: "SVHN") },
            .unknownDatasetKey("SVHN", suggestion: nil))
        XCTAssertEqual(DatasetCatalog.suggestion(for: "MNIST_100agu"), "MNIST_100aug")
    }

    /// Found by fuzzing: a key (or path) holding a line break made a multi-line message.
    func testErrors_quotingLineBreaks_stayOnOneLine() {
        let key = TestFiles.dataError { try DatasetCatalog.resolve(key: "MNIST\n_1\u{2028}") }
        XCTAssertEqual(key?.description, "unknown dataset key 'MNIST\\n_1\\u{2028}'; did you mean 'MNIST_1'?")
        let path = TestFiles.dataError { try IDXFile(bytes: [1, 2, 3, 4], expectedDimensionCount: 1, path: "/data/a\r\nb") }
        XCTAssertEqual(path?.description.contains("/data/a\\r\\nb"), true, "\(String(describing: path))")
        XCTAssertEqual(path?.description.contains(where: \.isNewline), false)
    }

    func testConfig_codableRoundTripUsesLowerCamelKeys() throws {
        let config = try DatasetCatalog.resolve(key: "MNIST_1c")
        let json = try JSONEncoder().encode(config)
        let text = String(decoding: json, as: UTF8.self)
        for key in ["\"noiseStandardDeviation\"", "\"trainingClasses\"", "\"printFrequency\"", "\"family\":\"MNIST\""] {
            XCTAssertTrue(text.contains(key), text)
        }
        XCTAssertEqual(try JSONDecoder().decode(DatasetConfig.self, from: json), config)
    }
}
