import Foundation
import HebbData
import HebbTestSupport
import XCTest

final class CIFARBinaryTests: XCTestCase {
    private func root() throws -> URL { try makeTemporaryDirectory("hebb-cifar") }

    func testLoad_CIFAR10_concatenatesBatchesInOrderWithCHWPixelsAndLabels() throws {
        let root = try root()
        let written = try DatasetWriters.writeCIFAR10(to: root.appendingPathComponent("cifar-10-batches-bin"))
        var config = try DatasetCatalog.resolve(key: "CIFAR10_1")
        config.shuffle = false
        let splits = try loadDataset(config: config, locator: DatasetLocator(roots: [root.path]), validation: false)
        XCTAssertEqual(splits.train.pixels, written.train.pixels)
        XCTAssertEqual(splits.train.labels, written.train.labels)
        XCTAssertEqual([splits.train.channels, splits.train.height, splits.train.width], [3, 32, 32])
        XCTAssertEqual(splits.trainIndices, Array(0..<20))
        XCTAssertEqual(splits.evaluation.pixels, written.test.pixels)
        XCTAssertEqual(splits.evaluation.labels, written.test.labels)
        // Values are byte/255 with no normalisation, channel planes in R, G, B order.
        let batch = splits.train.batch(indices: [5]).images.scalars
        XCTAssertEqual(batch.count, 3072)
        XCTAssertEqual(batch[1024], Float(written.train.pixels[5 * 3072 + 1024]) / 255)
        XCTAssertEqual(splits.augmentation, .none)
    }

    func testLoad_CIFAR100_usesFineLabelsAndHundredClasses() throws {
        let root = try root()
        let written = try DatasetWriters.writeCIFAR100(to: root.appendingPathComponent("cifar-100-binary"))
        let splits = try loadDataset(
            config: DatasetCatalog.resolve(key: "CIFAR100_1"), locator: DatasetLocator(roots: [root.path]),
            validation: false)
        XCTAssertEqual(splits.train.labels, written.train.labels)
        XCTAssertEqual(splits.train.pixels, written.train.pixels)
        XCTAssertEqual(splits.evaluation.labels, written.test.labels)
        XCTAssertEqual(splits.train.classCount, 100)
        XCTAssertTrue(splits.train.labels.contains { $0 >= 20 }, "fine, not coarse, labels")
    }

    func testLoad_validation_readsNoTestFile() throws {
        let root = try root()
        let directory = root.appendingPathComponent("cifar-10-batches-bin")
        try DatasetWriters.writeCIFAR10(to: directory, trainPerBatch: 10)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("test_batch.bin"))
        let splits = try loadDataset(
            config: DatasetCatalog.resolve(key: "CIFAR10"), locator: DatasetLocator(roots: [root.path]), validation: true)
        XCTAssertEqual([splits.trainIndices.count, splits.evaluation.count], [40, 10])
    }

    func testLoad_recordSizeNotAMultiple_namesFileAndRecord() throws {
        let root = try root()
        let directory = root.appendingPathComponent("cifar-10-batches-bin")
        try DatasetWriters.writeCIFAR10(to: directory)
        let batch3 = directory.appendingPathComponent("data_batch_3.bin")
        try Data(try Data(contentsOf: batch3).dropLast(100)).write(to: batch3)
        let error = TestFiles.dataError {
            try loadDataset(
                config: DatasetCatalog.resolve(key: "CIFAR10"), locator: DatasetLocator(roots: [root.path]),
                validation: false)
        }
        XCTAssertEqual(error, .badRecordSize(path: batch3.path, bytes: 4 * 3073 - 100, recordBytes: 3073, record: "CIFAR-10 record"))
        XCTAssertTrue(
            error?.description.hasPrefix("data_batch_3.bin: 12192 bytes is not a multiple of the 3073-byte CIFAR-10 record") ?? false,
            error?.description ?? "")
    }

    func testRead_emptyFileAndBadLabel_throwClearErrors() throws {
        let root = try root()
        let empty = root.appendingPathComponent("test.bin")
        try Data().write(to: empty)
        XCTAssertEqual(
            TestFiles.dataError { try CIFARBinary.read(files: [empty], family: .cifar100) },
            .badRecordSize(path: empty.path, bytes: 0, recordBytes: 3074, record: "CIFAR-100 record"))
        let bad = root.appendingPathComponent("data_batch_1.bin")
        var records = DatasetWriters.cifarRecords(pixels: [UInt8](repeating: 1, count: 2 * 3072), labels: [3, 4])
        records[3073] = 10
        try Data(records).write(to: bad)
        XCTAssertEqual(
            TestFiles.dataError { try CIFARBinary.read(files: [bad], family: .cifar10) },
            .labelOutOfRange(path: bad.path, index: 1, label: 10, classCount: 10))
    }

    func testLoad_missingFiles_oneLineErrorWithOfficialURL() throws {
        let root = try root()
        let error = TestFiles.dataError {
            try loadDataset(
                config: DatasetCatalog.resolve(key: "CIFAR100_50"), locator: DatasetLocator(roots: [root.path, "/nope"]),
                validation: false)
        }
        XCTAssertEqual(
            error,
            .datasetNotFound(
                key: "CIFAR100_50", file: "cifar-100-binary/train.bin",
                searched: [root.appendingPathComponent("cifar-100-binary").path, "/nope/cifar-100-binary"]))
        let text = error?.description ?? ""
        XCTAssertFalse(text.contains("\n"))
        XCTAssertTrue(text.contains("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"), text)
        XCTAssertTrue(text.contains("--datasets DIR"), text)
        XCTAssertFalse(text.contains(".gz)"), "no '(or X.gz)' for binary files: \(text)")
    }

    func testLoad_partialDirectory_namesTheFirstMissingBatch() throws {
        let root = try root()
        let directory = root.appendingPathComponent("cifar-10-batches-bin")
        try DatasetWriters.writeCIFAR10(to: directory)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("data_batch_4.bin"))
        guard case .datasetNotFound(_, let file, _)? = TestFiles.dataError({
            try loadDataset(config: DatasetCatalog.resolve(key: "CIFAR10"), locator: DatasetLocator(roots: [root.path]), validation: false)
        }) else { return XCTFail("expected datasetNotFound") }
        XCTAssertEqual(file, "cifar-10-batches-bin/data_batch_4.bin")
    }
}
