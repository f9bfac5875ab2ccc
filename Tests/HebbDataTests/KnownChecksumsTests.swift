import HebbData
import XCTest

final class KnownChecksumsTests: XCTestCase {
    func testTable_hasEightFilesWithHexDigests() {
        XCTAssertEqual(KnownChecksums.table.count, 8)
        for (name, entry) in KnownChecksums.table {
            XCTAssertEqual(entry.sha256.count, 64, name)
            XCTAssertTrue(entry.sha256.allSatisfy { "0123456789abcdef".contains($0) }, name)
        }
        XCTAssertEqual(KnownChecksums.entry(family: .fashionMNIST, file: "train-images-idx3-ubyte")?.bytes, 47_040_016)
    }

    func testVerify_otherSizes_areAcceptedUnverified() throws {
        XCTAssertFalse(try KnownChecksums.verify([1, 2, 3], family: .mnist, file: "t10k-labels-idx1-ubyte", path: "p"))
        XCTAssertFalse(try KnownChecksums.verify([1], family: .mnist, file: "unknown-file", path: "p"))
    }

    func testVerify_publishedSizeWrongBytes_throwsMismatch() {
        let bytes = [UInt8](repeating: 0, count: 60008)
        let error = TestFiles.dataError {
            try KnownChecksums.verify(bytes, family: .fashionMNIST, file: "train-labels-idx1-ubyte", path: "/f/l")
        }
        XCTAssertEqual(
            error,
            .checksumMismatch(
                path: "/f/l", expected: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                actual: SHA256.hexDigest(bytes)))
    }
}
