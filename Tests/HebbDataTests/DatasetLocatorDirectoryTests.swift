import Foundation
import HebbData
import HebbTestSupport
import XCTest

/// `DatasetLocator.locateDirectory` (every family but MNIST and Fashion-MNIST).
final class DatasetLocatorDirectoryTests: XCTestCase {
    func testLocateDirectory_firstCompleteRootWinsInSearchOrder() throws {
        let incomplete = try makeTemporaryDirectory(), complete = try makeTemporaryDirectory(), later = try makeTemporaryDirectory()
        try DatasetWriters.writeSTL10(to: incomplete.appendingPathComponent("stl10_binary"))
        try FileManager.default.removeItem(at: incomplete.appendingPathComponent("stl10_binary/test_y.bin"))
        for root in [complete, later] { try DatasetWriters.writeSTL10(to: root.appendingPathComponent("stl10_binary")) }
        let locator = DatasetLocator(
            explicitRoot: incomplete.path, environment: ["HEBB_DATASETS": complete.path], dataRoot: later.path, systemRoot: nil)
        let found = try locator.locateDirectory(named: "stl10_binary", containing: ["train_X.bin", "test_y.bin"], key: "STL10")
        XCTAssertEqual(found.path, complete.appendingPathComponent("stl10_binary").path)
        XCTAssertEqual(
            try locator.locateDirectory(named: "stl10_binary", containing: ["train_X.bin"], key: "STL10").path,
            incomplete.appendingPathComponent("stl10_binary").path)
    }

    func testLocateDirectory_trailingSlashAsksForADirectory() throws {
        let root = try makeTemporaryDirectory()
        let directory = root.appendingPathComponent("imagenette2-160")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data().write(to: directory.appendingPathComponent("train"))
        let locator = DatasetLocator(roots: [root.path])
        XCTAssertEqual(
            TestFiles.dataError { try locator.locateDirectory(named: "imagenette2-160", containing: ["train/"], key: "ImageNette") },
            .datasetNotFound(key: "ImageNette", file: "imagenette2-160/train", searched: [directory.path]))
        XCTAssertNoThrow(try locator.locateDirectory(named: "imagenette2-160", containing: ["train"], key: "ImageNette"))
    }

    func testNotFound_everyFamilyNamesItsDownload() {
        let hints: [(String, String)] = [
            ("CIFAR10_1", "cifar-10-binary.tar.gz"), ("CIFAR100", "cifar-100-binary.tar.gz"),
            ("STL10_unlabel", "stl10_binary.tar.gz"), ("ImageNette_1", "imagenette2-160.tgz"),
            ("ImageNet", "image-net.org"), ("ImageNetV2MatchedFrequency_160", "imagenetv2-matched-frequency.tar.gz"),
            ("ImageNetV2Threshold07", "imagenetv2-threshold0.7.tar.gz"), ("MNIST_1", "dataset-fashion-mnist"),
        ]
        for (key, hint) in hints {
            let text = DataError.datasetNotFound(key: key, file: "x", searched: ["/a", "/b"]).description
            XCTAssertTrue(text.contains(hint) && text.contains("/a, /b") && !text.contains("\n"), text)
        }
    }
}
