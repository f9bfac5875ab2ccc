import Foundation
import HebbData
import HebbTensor
import HebbTestSupport
import XCTest

final class DatasetSplitsTests: XCTestCase {
    private func images(_ count: Int) throws -> LabeledImages {
        try LabeledImages(
            pixels: TestFiles.pixels(count: count, height: 2, width: 3), labels: (0..<count).map { Int32($0 % 10) },
            channels: 1, height: 2, width: 3, classCount: 10)
    }

    func testInit_validation_holdsOutTwentyPercent() throws {
        let train = try images(100), test = try images(7)
        let splits = try DatasetSplits(config: TestFiles.config(), train: train, test: test, validation: true)
        XCTAssertEqual(splits.trainIndices.count, 80)
        XCTAssertEqual(splits.evaluation.count, 20)
        XCTAssertTrue(splits.evaluationIsValidation)
        // Validation rows and training rows are disjoint and together cover every row.
        let validationRows = Set((0..<100).filter { !splits.trainIndices.contains($0) })
        XCTAssertEqual(validationRows.count, 20)
        XCTAssertEqual(Set(splits.evaluation.labels), Set(validationRows.map { Int32($0 % 10) }))
    }

    func testInit_noValidation_trainsOnAllAndEvaluatesOnTest() throws {
        let test = try images(7)
        let splits = try DatasetSplits(config: TestFiles.config(), train: images(100), test: test, validation: false)
        XCTAssertEqual(splits.trainIndices.count, 100)
        XCTAssertEqual(Set(splits.trainIndices), Set(0..<100))
        XCTAssertEqual(splits.evaluation, test)
        XCTAssertFalse(splits.evaluationIsValidation)
    }

    func testInit_sameSeed_sameOrder_otherSeedDiffers_noShuffleInOrder() throws {
        var config = try TestFiles.config()
        let train = try images(100), test = try images(1)
        let a = try DatasetSplits(config: config, train: train, test: test, validation: true)
        let b = try DatasetSplits(config: config, train: train, test: test, validation: true)
        XCTAssertEqual(a.trainIndices, b.trainIndices)
        XCTAssertEqual(a.evaluation, b.evaluation)
        XCTAssertNotEqual(a.trainIndices, Array(20..<100))
        config.seed = 1
        XCTAssertNotEqual(try DatasetSplits(config: config, train: train, test: test, validation: true).trainIndices, a.trainIndices)
        config.shuffle = false
        let ordered = try DatasetSplits(config: config, train: train, test: test, validation: true)
        XCTAssertEqual(ordered.trainIndices, Array(20..<100))
        XCTAssertEqual(ordered.evaluation.labels, (0..<20).map { Int32($0 % 10) })
    }

    func testInit_trainingSampleCapsBeforeTheValidationSplit() throws {
        var config = try TestFiles.config()
        config.trainingSample = 30
        let splits = try DatasetSplits(config: config, train: images(100), test: images(1), validation: true)
        XCTAssertEqual([splits.trainIndices.count, splits.evaluation.count], [24, 6])
        let plain = try DatasetSplits(config: config, train: images(100), test: images(1), validation: false)
        XCTAssertEqual(plain.trainIndices.count, 30)
    }

    func testInit_trainingClasses_keepsAllSamplesOfThoseClasses() throws {
        let config = try TestFiles.config("MNIST_1c")
        let train = try images(100)
        let splits = try DatasetSplits(config: config, train: train, test: images(1), validation: false)
        XCTAssertEqual(splits.trainIndices.count, 10)
        XCTAssertTrue(splits.trainIndices.allSatisfy { train.labels[$0] == 1 })
        var bad = config
        bad.trainingClasses = [10]
        guard case .invalidConfig? = TestFiles.dataError({
            try DatasetSplits(config: bad, train: train, test: train, validation: false)
        }) else { return XCTFail("expected invalidConfig") }
    }

    func testEpochOrder_isSeededPermutationOfTrainIndices() throws {
        let splits = try DatasetSplits(config: TestFiles.config(), train: images(50), test: images(1), validation: true)
        var rng = SeededGenerator(seed: 9), same = SeededGenerator(seed: 9)
        let first = splits.epochOrder(using: &rng), second = splits.epochOrder(using: &rng)
        XCTAssertEqual(first.sorted(), splits.trainIndices.sorted())
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(splits.epochOrder(using: &same), first)
    }

    func testLoad_readsGzippedFilesFromLocator() throws {
        let root = try makeTemporaryDirectory()
        try TestFiles.writeDataset(in: root.appendingPathComponent("mnist"), compressed: true)
        let locator = DatasetLocator(explicitRoot: root.path, systemRoot: nil)
        let splits = try loadDataset(config: TestFiles.config("MNIST_100aug"), locator: locator, validation: false)
        XCTAssertEqual([splits.train.count, splits.trainIndices.count, splits.evaluation.count], [50, 50, 10])
        XCTAssertEqual(splits.noiseStandardDeviation, 1)
        let expected = TestFiles.pixels(count: 1, height: 2, width: 3).map { Float($0) / 255 }
        XCTAssertEqual(splits.train.batch(indices: [0]).images.scalars, expected)
        let validated = try loadDataset(config: TestFiles.config(), locator: locator, validation: true)
        XCTAssertEqual([validated.trainIndices.count, validated.evaluation.count], [40, 10])
    }

    func testLoad_wrongImageSize_throwsShapeMismatch() throws {
        let root = try makeTemporaryDirectory()
        try TestFiles.writeDataset(in: root.appendingPathComponent("mnist"))
        let error = TestFiles.dataError {
            try loadDataset(
                config: DatasetCatalog.resolve(key: "MNIST"), locator: DatasetLocator(roots: [root.path]),
                validation: false)
        }
        guard case .shapeMismatch(_, let expected, let found)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(expected, [1, 28, 28])
        XCTAssertEqual(found, [1, 2, 3])
    }

    func testLoad_realSizedFileWithWrongContent_throwsChecksumMismatch() throws {
        // 10000 labels make a 10008-byte file: the size of the real t10k labels, so it is verified.
        let root = try makeTemporaryDirectory()
        try TestFiles.writeDataset(in: root.appendingPathComponent("mnist"), testCount: 10000)
        let error = TestFiles.dataError {
            try loadDataset(config: TestFiles.config(), locator: DatasetLocator(roots: [root.path]), validation: false)
        }
        guard case .checksumMismatch(let path, let expected, _)? = error else {
            return XCTFail("\(String(describing: error))")
        }
        XCTAssertTrue(path.hasSuffix("mnist/t10k-labels-idx1-ubyte"))
        XCTAssertEqual(expected, KnownChecksums.entry(family: .mnist, file: "t10k-labels-idx1-ubyte")?.sha256)
        XCTAssertTrue(error?.description.contains("re-download") ?? false)
    }
}
