import Foundation
import HebbTestSupport
import XCTest

@testable import HebbExperiment

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends and line cuts go through the atomic rename; leftovers of killed writers are removed.
final class AtomicFileCrashSafetyTests: XCTestCase {
    private var directory = URL(fileURLWithPath: "/nonexistent")

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory("atomic-crash")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// A pid no process can have (above Linux's pid_max limit of 2^22).
    private let deadPID = 2_147_483_646

    func testAppendLine_tornTailFromAnotherWriter_isDroppedNotExtended() throws {
        let url = directory.appendingPathComponent("metrics.jsonl")
        try Data("{\"epoch\":1}\n{\"epo".utf8).write(to: url)
        try AtomicFile.appendLine(#"{"epoch":2}"#, to: url)
        XCTAssertEqual(try text(url), "{\"epoch\":1}\n{\"epoch\":2}\n")
    }

    func testAppendLine_goesThroughRename_leavingNoTemporaryFile() throws {
        let url = directory.appendingPathComponent("metrics.jsonl")
        try AtomicFile.appendLine("a", to: url)
        let inode = try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
        try AtomicFile.appendLine("b", to: url)
        let after = try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
        XCTAssertNotEqual(inode, after, "a new file was renamed into place, not appended in place")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["metrics.jsonl"])
    }

    func testKeepLines_cutsLaterLinesAndTornTail() throws {
        let url = directory.appendingPathComponent("metrics.jsonl")
        try Data("1\n2\n3\n4".utf8).write(to: url)
        XCTAssertEqual(try AtomicFile.keepLines(2, of: url), 2)
        XCTAssertEqual(try text(url), "1\n2\n")
        XCTAssertEqual(try AtomicFile.keepLines(5, of: url), 2, "fewer lines than asked: kept as is")
        XCTAssertEqual(try text(url), "1\n2\n")
        XCTAssertEqual(try AtomicFile.keepLines(Int.max, of: directory.appendingPathComponent("none")), 0)
    }

    func testWrite_removesStaleTemporaryOfDeadWriterButKeepsLiveOnes() throws {
        let url = directory.appendingPathComponent("model.safetensors")
        let dead = directory.appendingPathComponent(".model.safetensors.tmp-\(deadPID)-1f")
        let live = directory.appendingPathComponent(".model.safetensors.tmp-1-2e")  // pid 1 is alive
        let other = directory.appendingPathComponent(".config.json.tmp-\(deadPID)-3d")
        for file in [dead, live, other] { try Data("x".utf8).write(to: file) }
        try AtomicFile.write(Data([1]), to: url)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(names, [other, live, url].map(\.lastPathComponent).sorted())
        AtomicFile.removeStaleTemporaries(in: directory)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(),
            [live, url].map(\.lastPathComponent).sorted())
    }

    func testCheckWritable_createsTheFolderAndLeavesNothing() throws {
        let folder = directory.appendingPathComponent("a/b")
        try AtomicFile.checkWritable(folder)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testRunStorePrepare_missingParent_isRefusedWithoutCreatingAnything() throws {
        let rootPath = directory.appendingPathComponent("missing/root").path
        let store = RunStore(dataRoot: rootPath, modelName: "m")
        XCTAssertThrowsError(try store.prepare()) { error in
            XCTAssertEqual(
                error as? PersistenceError,
                .missingParent(path: rootPath, parent: directory.appendingPathComponent("missing").path))
            XCTAssertTrue("\(error)".contains("--data-root"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
        // A missing root whose parent exists is created (the default ~/hebb-data works).
        let created = RunStore(dataRoot: directory.appendingPathComponent("fresh").path, modelName: "m")
        XCTAssertNoThrow(try created.prepare())
        XCTAssertTrue(FileManager.default.fileExists(atPath: created.networkFolder.path))
    }
}
