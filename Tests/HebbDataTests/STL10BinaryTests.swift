import Foundation
import HebbData
import HebbTensor
import HebbTestSupport
import XCTest

final class STL10BinaryTests: XCTestCase {
    private func writeDataset() throws -> (root: URL, written: (train: WrittenImages, test: WrittenImages, unlabeled: WrittenImages)) {
        let root = try makeTemporaryDirectory("hebb-stl")
        return (root, try DatasetWriters.writeSTL10(to: root.appendingPathComponent("stl10_binary")))
    }

    private func load(_ key: String, root: URL, validation: Bool = false) throws -> DatasetSplits {
        var config = try DatasetCatalog.resolve(key: key)
        config.shuffle = false
        return try loadDataset(config: config, locator: DatasetLocator(roots: [root.path]), validation: validation)
    }

    func testTranspose_columnMajorFileBecomesRowMajorCHW() throws {
        // One image whose stored byte at (c, x, y) encodes x: after loading, row y of every
        // channel must run through x = 0…95 left to right.
        let root = try makeTemporaryDirectory("hebb-stl")
        let directory = root.appendingPathComponent("stl10_binary")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var stored = [UInt8](repeating: 0, count: 3 * 96 * 96)
        for c in 0..<3 {
            for x in 0..<96 {
                for y in 0..<96 { stored[c * 9216 + x * 96 + y] = UInt8(x + (y == 0 ? 100 : 0) + c) }
            }
        }
        try Data(stored).write(to: directory.appendingPathComponent("train_X.bin"))
        try Data([10]).write(to: directory.appendingPathComponent("train_y.bin"))
        let images = try STL10Binary.read(
            images: [directory.appendingPathComponent("train_X.bin")], labels: [directory.appendingPathComponent("train_y.bin")])
        XCTAssertEqual(images.labels, [9], "labels 1…10 become 0…9")
        XCTAssertEqual(Array(images.pixels[0..<4]), [100, 101, 102, 103], "row 0, x = 0…3")
        XCTAssertEqual(Array(images.pixels[96..<99]), [0, 1, 2], "row 1, x = 0…2")
        XCTAssertEqual(images.pixels[2 * 9216 + 5 * 96 + 7], 7 + 2, "channel 2, row 5, x 7")
    }

    func testLoad_trainSplit_matchesWrittenImagesAndTest() throws {
        let (root, written) = try writeDataset()
        let splits = try load("STL10", root: root)
        XCTAssertEqual(splits.train.pixels, written.train.pixels)
        XCTAssertEqual(splits.train.labels, written.train.labels)
        XCTAssertEqual(splits.evaluation.pixels, written.test.pixels)
        XCTAssertEqual(splits.evaluation.labels, written.test.labels)
        XCTAssertEqual([splits.train.channels, splits.train.height, splits.train.width], [3, 96, 96])
        XCTAssertNoThrow(try splits.requireLabels())
    }

    func testLoad_unlabeledSplits_labelMinusOneAndTrainFirst() throws {
        let (root, written) = try writeDataset()
        let unlabeled = try load("STL10_unlabel", root: root)
        XCTAssertEqual(unlabeled.train.labels, [-1, -1])
        XCTAssertEqual(unlabeled.train.pixels, written.unlabeled.pixels)
        XCTAssertEqual(unlabeled.train.unlabeledCount, 2)
        XCTAssertEqual(unlabeled.evaluation.labels, written.test.labels, "evaluation is the labelled test split")
        guard case .invalidConfig? = TestFiles.dataError({ try unlabeled.requireLabels() }) else {
            return XCTFail("supervised use of unlabelled images must be refused")
        }
        let both = try load("STL10_train+unlabel", root: root)
        XCTAssertEqual(both.train.labels, written.train.labels + [-1, -1])
        XCTAssertEqual(both.train.pixels, written.train.pixels + written.unlabeled.pixels)
        XCTAssertEqual(both.augmentation, .cropAndFlip(padding: 4))
    }

    func testUnlabeled_nothingThatCountsClassesChokes() throws {
        let (root, _) = try writeDataset()
        var config = try DatasetCatalog.resolve(key: "STL10_train+unlabel")
        config.trainingClasses = [1]  // writeSTL10 labels training image 0 with (3·0 + 1) mod 10
        let splits = try loadDataset(config: config, locator: DatasetLocator(roots: [root.path]), validation: true)
        XCTAssertTrue(splits.trainIndices.allSatisfy { splits.train.labels[$0] >= 0 })
        XCTAssertTrue(splits.train.indices(ofClasses: Array(0..<10)).allSatisfy { splits.train.labels[$0] >= 0 })
        var rng = SeededGenerator(seed: 1)
        let batch = splits.train.batch(indices: [3, 4][...], augmentation: splits.augmentation, using: &rng)
        XCTAssertEqual(batch.labels, [-1, -1])
        XCTAssertEqual(batch.images.shape, [2, 3 * 96 * 96])
    }

    func testLoad_corruptFiles_throwClearErrors() throws {
        let (root, _) = try writeDataset()
        let directory = root.appendingPathComponent("stl10_binary")
        let labels = directory.appendingPathComponent("train_y.bin")
        try Data([1, 2]).write(to: labels)
        XCTAssertEqual(
            TestFiles.dataError { try self.load("STL10", root: root) },
            .countMismatch(imagesPath: directory.appendingPathComponent("train_X.bin").path, images: 3, labelsPath: labels.path, labels: 2))
        try Data([1, 0, 3]).write(to: labels)
        XCTAssertEqual(
            TestFiles.dataError { try self.load("STL10", root: root) },
            .labelOutOfRange(path: labels.path, index: 1, label: -1, classCount: 10))
        let images = directory.appendingPathComponent("unlabeled_X.bin")
        try Data(repeating: 0, count: 27648 + 5).write(to: images)
        let error = TestFiles.dataError { try self.load("STL10_unlabel", root: root) }
        XCTAssertEqual(error, .badRecordSize(path: images.path, bytes: 27653, recordBytes: 27648, record: "STL-10 image"))
        XCTAssertTrue(error?.description.hasPrefix("unlabeled_X.bin: 27653 bytes is not a multiple of the 27648-byte STL-10 image") ?? false)
    }

    func testLoad_missingUnlabeledFile_namesIt() throws {
        let (root, _) = try writeDataset()
        try FileManager.default.removeItem(at: root.appendingPathComponent("stl10_binary/unlabeled_X.bin"))
        XCTAssertNoThrow(try load("STL10", root: root))
        let error = TestFiles.dataError { try self.load("STL10_unlabel", root: root) }
        guard case .datasetNotFound(let key, let file, _)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual([key, file], ["STL10_unlabel", "stl10_binary/unlabeled_X.bin"])
        XCTAssertTrue(error?.description.contains("http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz") ?? false)
    }
}
