import Foundation
import HebbData
import HebbTestSupport
import XCTest

final class IDXFileTests: XCTestCase {
    func testInit_parsesDimensionsAndPayload() throws {
        let payload = TestFiles.pixels(count: 5, height: 2, width: 3)
        let file = try IDXFile(
            bytes: TestFiles.idx(dimensions: [5, 2, 3], payload: payload), expectedDimensionCount: 3, path: "x")
        XCTAssertEqual(file.dimensions, [5, 2, 3])
        XCTAssertEqual(file.payload, payload)
    }

    func testRead_plainAndGzipAndFallbackToGz() throws {
        let directory = try makeTemporaryDirectory()
        let bytes = TestFiles.idx(dimensions: [4], payload: [3, 1, 4, 1])
        try TestFiles.write(bytes, to: directory, name: "plain")
        let gz = try TestFiles.write(bytes, to: directory, name: "packed.gz")
        let plain = try IDXFile.read(at: directory.appendingPathComponent("plain"), expectedDimensionCount: 1)
        let direct = try IDXFile.read(at: gz, expectedDimensionCount: 1)
        let fallback = try IDXFile.read(at: directory.appendingPathComponent("packed"), expectedDimensionCount: 1)
        XCTAssertEqual(plain.payload, [3, 1, 4, 1])
        XCTAssertEqual(direct.payload, [3, 1, 4, 1])
        XCTAssertEqual(fallback.payload, [3, 1, 4, 1])
        XCTAssertEqual(fallback.path, gz.path)
    }

    func testInit_badMagic_namesExpectedFoundAndPath() {
        let bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0, count: 20)
        let error = TestFiles.dataError { try IDXFile(bytes: bytes, expectedDimensionCount: 3, path: "/d/imgs") }
        XCTAssertEqual(error, .badMagic(expected: "00 00 08 03 (IDX, uint8, 3-d)", found: "1f 8b 08 00", path: "/d/imgs"))
        let text = error?.description ?? ""
        XCTAssertTrue(text.contains("/d/imgs") && text.contains("00 00 08 03") && text.contains("1f 8b 08 00"), text)
        XCTAssertFalse(text.contains("\n"))
    }

    func testInit_wrongDimensionCountOrType_isBadMagic() {
        let labels = TestFiles.idx(dimensions: [4], payload: [0, 1, 2, 3])
        XCTAssertEqual(
            TestFiles.dataError { try IDXFile(bytes: labels, expectedDimensionCount: 3, path: "p") },
            .badMagic(expected: "00 00 08 03 (IDX, uint8, 3-d)", found: "00 00 08 01", path: "p"))
        var floats = labels
        floats[2] = 0x0D
        XCTAssertEqual(
            TestFiles.dataError { try IDXFile(bytes: floats, expectedDimensionCount: 1, path: "p") },
            .badMagic(expected: "00 00 08 01 (IDX, uint8, 1-d)", found: "00 00 0d 01", path: "p"))
    }

    func testRead_truncatedFile_namesPathAndByteCounts() throws {
        let directory = try makeTemporaryDirectory()
        let full = TestFiles.idx(dimensions: [5, 2, 3], payload: TestFiles.pixels(count: 5, height: 2, width: 3))
        let url = try TestFiles.write(Array(full.dropLast(4)), to: directory, name: "short")
        let error = TestFiles.dataError { try IDXFile.read(at: url, expectedDimensionCount: 3) }
        XCTAssertEqual(error, .truncated(path: url.path, expectedBytes: 46, actualBytes: 42))
        let text = error?.description ?? ""
        XCTAssertTrue(text.contains(url.path) && text.contains("46 bytes") && text.contains("42"), text)
    }

    func testInit_truncatedHeader_throwsTruncated() {
        XCTAssertEqual(
            TestFiles.dataError { try IDXFile(bytes: [0, 0, 8, 3, 0, 0], expectedDimensionCount: 3, path: "h") },
            .truncated(path: "h", expectedBytes: 16, actualBytes: 6))
        XCTAssertEqual(
            TestFiles.dataError { try IDXFile(bytes: [0, 0], expectedDimensionCount: 1, path: "h") },
            .truncated(path: "h", expectedBytes: 8, actualBytes: 2))
    }

    func testInit_extraBytes_throwsTrailingBytes() {
        let bytes = TestFiles.idx(dimensions: [3], payload: [1, 2, 3, 4, 5])
        let error = TestFiles.dataError { try IDXFile(bytes: bytes, expectedDimensionCount: 1, path: "long") }
        XCTAssertEqual(error, .trailingBytes(path: "long", expectedBytes: 11, actualBytes: 13))
        XCTAssertTrue(error?.description.contains("too long") ?? false)
    }

    func testInit_absurdDimensions_failWithoutAllocating() {
        let huge = TestFiles.idx(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [1, 2, 3])
        XCTAssertEqual(
            TestFiles.dataError { try IDXFile(bytes: huge, expectedDimensionCount: 3, path: "big") },
            .dimensionsTooLarge(path: "big", dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], actualBytes: 19))
        let large = TestFiles.idx(dimensions: [60000, 0xFFFF, 0xFFFF], payload: [1])
        XCTAssertEqual(
            TestFiles.dataError { try IDXFile(bytes: large, expectedDimensionCount: 3, path: "l") },
            .truncated(path: "l", expectedBytes: 16 + 60000 * 0xFFFF * 0xFFFF, actualBytes: 17))
    }
}
