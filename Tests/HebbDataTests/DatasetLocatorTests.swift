import Foundation
import HebbData
import HebbTestSupport
import XCTest

final class DatasetLocatorTests: XCTestCase {
    func testInit_rootsInOrderExplicitEnvironmentDataRootSystem() {
        let locator = DatasetLocator(
            explicitRoot: "/a", environment: ["HEBB_DATASETS": "/b:/c", "OTHER": "/z"], dataRoot: "/d")
        XCTAssertEqual(locator.roots.map(\.path), ["/a", "/b", "/c", "/d/datasets", "/usr/share/datasets"])
        XCTAssertEqual(DatasetLocator(explicitRoot: "/a", environment: ["HEBB_DATASETS": "/a"]).roots.count, 2)
    }

    func testCandidateDirectories_mnistAlsoRootFashionOnlyNested() {
        let locator = DatasetLocator(roots: ["/r"])
        XCTAssertEqual(locator.candidateDirectories(for: .mnist).map(\.path), ["/r/mnist", "/r"])
        XCTAssertEqual(locator.candidateDirectories(for: .fashionMNIST).map(\.path), ["/r/fashion-mnist"])
    }

    func testLocate_earlierRootWins() throws {
        let first = try makeTemporaryDirectory(), second = try makeTemporaryDirectory()
        try TestFiles.writeDataset(in: first.appendingPathComponent("mnist"), compressed: true)
        try TestFiles.writeDataset(in: second.appendingPathComponent("mnist"))
        let locator = DatasetLocator(explicitRoot: second.path, environment: ["HEBB_DATASETS": first.path])
        let files = try locator.locate(family: .mnist)
        XCTAssertEqual(files.directory.path, second.appendingPathComponent("mnist").path)
        XCTAssertEqual(files.trainImages.lastPathComponent, "train-images-idx3-ubyte")
        let fromEnvironment = try DatasetLocator(environment: ["HEBB_DATASETS": first.path]).locate(family: .mnist)
        XCTAssertEqual(fromEnvironment.testLabels.lastPathComponent, "t10k-labels-idx1-ubyte.gz")
    }

    func testLocate_skipsIncompleteDirectoryAndAcceptsBareMNISTRoot() throws {
        let incomplete = try makeTemporaryDirectory(), bare = try makeTemporaryDirectory()
        try TestFiles.writeDataset(in: incomplete.appendingPathComponent("mnist"))
        try FileManager.default.removeItem(at: incomplete.appendingPathComponent("mnist/t10k-labels-idx1-ubyte"))
        try TestFiles.writeDataset(in: bare)
        let files = try DatasetLocator(roots: [incomplete.path, bare.path]).locate(family: .mnist)
        XCTAssertEqual(files.directory.path, bare.path)
        XCTAssertThrowsError(try DatasetLocator(roots: [bare.path]).locate(family: .fashionMNIST))
    }

    func testLocate_notFound_listsEverySearchedPathOnOneLine() throws {
        let empty = try makeTemporaryDirectory()
        let locator = DatasetLocator(
            explicitRoot: empty.path, environment: ["HEBB_DATASETS": "/nope/env"], dataRoot: "/nope/data",
            systemRoot: "/nope/system")
        let error = TestFiles.dataError { try locator.locate(family: .fashionMNIST, key: "FashionMNIST_1") }
        let searched = [empty.path + "/fashion-mnist", "/nope/env/fashion-mnist", "/nope/data/datasets/fashion-mnist",
                        "/nope/system/fashion-mnist"]
        XCTAssertEqual(
            error, .datasetNotFound(key: "FashionMNIST_1", file: "train-images-idx3-ubyte", searched: searched))
        let text = error?.description ?? ""
        XCTAssertFalse(text.contains("\n"))
        for path in searched { XCTAssertTrue(text.contains(path), text) }
        XCTAssertTrue(text.contains("apt-get install dataset-fashion-mnist") && text.contains("--datasets DIR"), text)
    }

    func testLocate_partialDirectory_namesTheMissingFile() throws {
        let root = try makeTemporaryDirectory()
        try TestFiles.writeDataset(in: root.appendingPathComponent("mnist"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("mnist/train-labels-idx1-ubyte"))
        let error = TestFiles.dataError { try DatasetLocator(roots: [root.path]).locate(family: .mnist) }
        guard case .datasetNotFound(_, let file, _)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(file, "train-labels-idx1-ubyte")
    }
}
