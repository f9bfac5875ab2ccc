import Foundation
import HebbTestSupport
import XCTest

@testable import HebbExperiment

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

final class AtomicFileTests: XCTestCase {
    private var directory = URL(fileURLWithPath: "/nonexistent")

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory("atomic-file")
    }

    override func tearDownWithError() throws {
        _ = chmod(directory.path, 0o755)
        try? FileManager.default.removeItem(at: directory)
    }

    private func listing(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    func testWrite_createsParentDirectoriesAndWritesBytes() throws {
        let url = directory.appendingPathComponent("runs/a/b/model.safetensors")
        let bytes = Data([0, 1, 2, 255, 10, 13])
        try AtomicFile.write(bytes, to: url)
        XCTAssertEqual(try Data(contentsOf: url), bytes)
        XCTAssertEqual(try listing(url.deletingLastPathComponent()), ["model.safetensors"])
    }

    func testWrite_existingFile_isReplacedAndLeavesNoTemporaryFiles() throws {
        let url = directory.appendingPathComponent("state.json")
        try Data(repeating: 7, count: 10_000).write(to: url)
        try AtomicFile.write(Data("short".utf8), to: url)
        try AtomicFile.write(Data("shorter".utf8), to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "shorter")
        XCTAssertEqual(try listing(directory), ["state.json"])
    }

    func testWrite_emptyData_producesEmptyFile() throws {
        let url = directory.appendingPathComponent("empty.bin")
        try AtomicFile.write(Data(), to: url)
        XCTAssertEqual(try Data(contentsOf: url).count, 0)
    }

    func testTemporaryPath_isHiddenUniqueAndInSameFolder() {
        let url = directory.appendingPathComponent("x.safetensors")
        let first = AtomicFile.temporaryPath(for: url)
        let second = AtomicFile.temporaryPath(for: url)
        XCTAssertNotEqual(first, second)
        let name = URL(fileURLWithPath: first).lastPathComponent
        XCTAssertTrue(name.hasPrefix(".x.safetensors.tmp-\(getpid())-"), name)
        XCTAssertEqual(URL(fileURLWithPath: first).deletingLastPathComponent().path, directory.path)
    }

    func testWrite_readOnlyDirectory_throwsCannotWriteWithHint() throws {
        if geteuid() == 0 {
            throw XCTSkip(
                "running as root: permission bits are ignored, a 0555 folder stays writable")
        }
        let locked = directory.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(locked.path, 0o555), 0)
        defer { _ = chmod(locked.path, 0o755) }
        let url = locked.appendingPathComponent("model.safetensors")
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: url)) { error in
            guard case .cannotWrite(let path, let reason)? = error as? PersistenceError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(path, url.path)
            XCTAssertTrue(reason.contains("Permission denied"), reason)
            XCTAssertTrue("\(error)".contains("--data-root"), "\(error)")
        }
        XCTAssertEqual(try listing(locked), [])
    }

    func testWrite_parentIsAFile_throwsCannotCreateDirectory() throws {
        let blocker = directory.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let url = blocker.appendingPathComponent("sub/model.safetensors")
        XCTAssertThrowsError(try AtomicFile.write(Data([1]), to: url)) { error in
            guard case .cannotCreateDirectory(let path, _)? = error as? PersistenceError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(path, blocker.path)
            let text = "\(error)"
            XCTAssertFalse(text.contains("\n"), text)
            XCTAssertTrue(text.contains(blocker.path) && text.contains("HEBB_DATA"), text)
        }
    }

    func testWrite_destinationIsADirectory_throwsAndRemovesTemporaryFile() throws {
        let url = directory.appendingPathComponent("taken")
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent("inner"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write(Data([1, 2, 3]), to: url)) { error in
            guard case .cannotWrite(let path, let reason)? = error as? PersistenceError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(path, url.path)
            XCTAssertTrue(reason.hasPrefix("rename into place failed: "), reason)
        }
        XCTAssertEqual(try listing(directory), ["taken"])
    }

    func testAppendLine_appendsRecordsInOrderCreatingTheFile() throws {
        let url = directory.appendingPathComponent("logs/metrics.jsonl")
        try AtomicFile.appendLine(#"{"epoch":1}"#, to: url)
        try AtomicFile.appendLine(#"{"epoch":2}"# + "\n", to: url)
        XCTAssertEqual(
            try String(contentsOf: url, encoding: .utf8), "{\"epoch\":1}\n{\"epoch\":2}\n")
    }

    func testAppendLine_embeddedNewline_throwsAndWritesNothing() throws {
        let url = directory.appendingPathComponent("metrics.jsonl")
        XCTAssertThrowsError(try AtomicFile.appendLine("a\nb", to: url)) { error in
            XCTAssertEqual(error as? PersistenceError, .lineContainsNewline(path: url.path))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }
}
