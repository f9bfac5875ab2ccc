import Foundation
import HebbData
import HebbTestSupport
import XCTest

final class SHA256Tests: XCTestCase {
    func testHexDigest_emptyMessage() {
        XCTAssertEqual(
            SHA256.hexDigest([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testHexDigest_abc() {
        XCTAssertEqual(
            SHA256.hexDigest(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testHexDigest_448BitTwoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        XCTAssertEqual(
            SHA256.hexDigest(Array(message.utf8)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testHexDigest_millionA() {
        XCTAssertEqual(
            SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testHexDigest_matchesSha256sum_atEveryPaddingBoundary() throws {
        // Lengths 0…130 cover one- and two-block padding and multi-block messages.
        let directory = try makeTemporaryDirectory()
        var expected: [String] = []
        var urls: [URL] = []
        for length in 0...130 {
            let bytes = (0..<length).map { UInt8(($0 * 31 + length) % 256) }
            urls.append(try TestFiles.write(bytes, to: directory, name: "m\(length)"))
            expected.append(SHA256.hexDigest(bytes))
        }
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = urls.map(\.path)
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let digests = output.split(separator: "\n").map { String($0.prefix(64)) }
        XCTAssertEqual(digests, expected)
    }
}
