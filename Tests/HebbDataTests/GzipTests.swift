import Foundation
import HebbData
import HebbTestSupport
import XCTest

final class GzipTests: XCTestCase {
    func testDecompress_roundTripsZlibGzip() throws {
        let original = TestFiles.pixels(count: 100, height: 28, width: 28)
        XCTAssertEqual(try Gzip.decompress(TestFiles.gzip(original)), original)
    }

    func testDecompress_emptyPayload() throws {
        XCTAssertEqual(try Gzip.decompress(TestFiles.gzip([])), [])
    }

    func testDecompress_joinsConcatenatedMembers() throws {
        let a: [UInt8] = Array("hello ".utf8), b: [UInt8] = Array("world".utf8)
        XCTAssertEqual(try Gzip.decompress(TestFiles.gzip(a) + TestFiles.gzip(b)), a + b)
    }

    func testDecompress_readsFileWrittenByGzipTool() throws {
        let directory = try makeTemporaryDirectory()
        let plain = directory.appendingPathComponent("data.bin")
        let original = TestFiles.pixels(count: 7, height: 5, width: 5)
        try Data(original).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-k", plain.path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(try Gzip.decompress(fileAt: directory.appendingPathComponent("data.bin.gz")), original)
    }

    func testDecompress_growsBeyondInitialGuess() throws {
        // 4 MB of zeros compress ~1000:1; with a zlib (not gzip) wrapper there is no size hint.
        let original = [UInt8](repeating: 0, count: 4 << 20)
        let gzipped = TestFiles.gzip(original)
        XCTAssertLessThan(gzipped.count * 4, original.count)
        XCTAssertEqual(try Gzip.decompress(gzipped), original)
    }

    func testInitialCapacity_capsLyingSizeField() throws {
        var gzipped = TestFiles.gzip(Array(repeating: 7, count: 1000))
        let n = gzipped.count
        gzipped[n - 4] = 0xFF; gzipped[n - 3] = 0xFF; gzipped[n - 2] = 0xFF; gzipped[n - 1] = 0x7F
        let capacity = gzipped.withUnsafeBytes { Gzip.initialCapacity(for: $0) }
        XCTAssertLessThanOrEqual(capacity, min(gzipped.count * 1032, Gzip.trustedSizeHintLimit))
        XCTAssertThrowsError(try Gzip.decompress(gzipped))  // zlib's length check rejects the lie
    }

    func testDecompress_truncatedStream_throwsCorruptGzip() throws {
        let gzipped = TestFiles.gzip(TestFiles.pixels(count: 20, height: 28, width: 28))
        let cut = Array(gzipped[0..<(gzipped.count / 2)])
        XCTAssertEqual(TestFiles.dataError { try Gzip.decompress(cut, path: "/x/cut.gz") }, .corruptGzip(path: "/x/cut.gz"))
    }

    func testDecompress_flippedBytes_throwsCorruptGzip() throws {
        var gzipped = TestFiles.gzip(TestFiles.pixels(count: 20, height: 28, width: 28))
        for i in 20..<40 { gzipped[i] ^= 0x5A }
        XCTAssertEqual(TestFiles.dataError { try Gzip.decompress(gzipped, path: "p.gz") }, .corruptGzip(path: "p.gz"))
    }

    func testDecompress_notGzip_throwsCorruptGzipNamingPath() throws {
        let directory = try makeTemporaryDirectory()
        let url = directory.appendingPathComponent("fake.gz")
        try Data("plain text, not gzip".utf8).write(to: url)
        let error = TestFiles.dataError { try Gzip.decompress(fileAt: url) }
        XCTAssertEqual(error, .corruptGzip(path: url.path))
        XCTAssertTrue(error?.description.contains(url.path) ?? false)
        XCTAssertEqual(TestFiles.dataError { try Gzip.decompress([], path: "e") }, .corruptGzip(path: "e"))
    }

    func testDecompress_missingFile_throwsUnreadable() throws {
        let error = TestFiles.dataError { try Gzip.decompress(fileAt: URL(fileURLWithPath: "/nonexistent/a.gz")) }
        guard case .unreadable(let path, _)? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertEqual(path, "/nonexistent/a.gz")
    }
}
