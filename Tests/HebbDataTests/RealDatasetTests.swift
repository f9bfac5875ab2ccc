import Foundation
import HebbData
import XCTest

/// Loads the real MNIST files; skipped unless HEBB_REAL_DATA=1 (unit tests never need them).
/// Roots: HEBB_DATASETS if set, else `../shared/datasets` beside the checkout.
final class RealDatasetTests: XCTestCase {
    private func locator() throws -> DatasetLocator {
        let environment = ProcessInfo.processInfo.environment
        try XCTSkipUnless(environment["HEBB_REAL_DATA"] == "1", "set HEBB_REAL_DATA=1 to load the real datasets")
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return DatasetLocator(environment: environment, dataRoot: checkout.appendingPathComponent("../shared").path)
    }

    func testLoadRealMNIST_whenEnabled() throws {
        let locator = try locator()
        for key in ["MNIST", "FashionMNIST"] {
            let config = try DatasetCatalog.resolve(key: key)
            let start = Date()
            let splits = try loadDataset(config: config, locator: locator, validation: false)
            let seconds = Date().timeIntervalSince(start)
            print("loaded+verified \(key) train+test from \(try locator.locate(family: config.family).directory.path) "
                + "in \(String(format: "%.3f", seconds)) s")
            XCTAssertEqual([splits.train.count, splits.trainIndices.count, splits.evaluation.count], [60000, 60000, 10000])
            XCTAssertEqual(Set(splits.train.labels).count, 10)
        }
        let start = Date()
        let validated = try loadDataset(config: DatasetCatalog.resolve(key: "MNIST"), locator: locator, validation: true)
        print("loaded+verified MNIST train only (validation) in \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
        XCTAssertEqual([validated.trainIndices.count, validated.evaluation.count], [48000, 12000])
    }

    func testLoadRealMNIST_timingBreakdown_whenEnabled() throws {
        let files = try locator().locate(family: .mnist)
        var start = Date()
        let (bytes, path) = try IDXFile.readUncompressedBytes(at: files.trainImages)
        let read = Date().timeIntervalSince(start)
        start = Date()
        XCTAssertTrue(try KnownChecksums.verify(bytes, family: .mnist, file: "train-images-idx3-ubyte", path: path))
        let verify = Date().timeIntervalSince(start)
        start = Date()
        let file = try IDXFile(bytes: bytes, expectedDimensionCount: 3, path: path)
        let parse = Date().timeIntervalSince(start)
        XCTAssertEqual(file.dimensions, [60000, 28, 28])
        let mbPerSecond = Double(bytes.count) / verify / 1e6
        print(String(
            format: "MNIST train images: read+gunzip %.3f s, SHA-256 %.3f s (%.0f MB/s), parse %.3f s",
            read, verify, mbPerSecond, parse))
    }
}
