import Foundation
import HebbData
import HebbTestSupport
import XCTest

final class JPEGDecoderTests: XCTestCase {
    /// An 8×6 RGB image: left half red-ish, right half blue-ish.
    private func halves(width: Int = 8, height: Int = 6) -> [UInt8] {
        (0..<(width * height)).flatMap { j in j % width < width / 2 ? [220, 30, 40] : [20, 60, 230] as [UInt8] }
    }

    func testDecode_roundTripsRGBWithinJPEGError() throws {
        let pixels = halves()
        let image = try JPEGDecoder.decode(DatasetWriters.jpeg(pixels: pixels, width: 8, height: 6))
        XCTAssertEqual([image.width, image.height], [8, 6])
        XCTAssertEqual(image.pixels.count, pixels.count)
        let worst = zip(image.pixels, pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 12, "quality-100 JPEG of a two-colour image")
        XCTAssertGreaterThan(image.pixels[0], 180, "interleaved (H, W, 3): the first byte is red of the left half")
        XCTAssertGreaterThan(image.pixels[(8 - 1) * 3 + 2], 180, "last pixel of row 0 is blue")
    }

    func testDecode_grayscaleIsReplicatedToRGB() throws {
        let gray = (0..<(5 * 4)).map { UInt8($0 * 12) }
        let image = try JPEGDecoder.decode(DatasetWriters.jpeg(pixels: gray, width: 5, height: 4, components: 1))
        XCTAssertEqual(image.pixels.count, 5 * 4 * 3)
        for j in 0..<20 {
            XCTAssertEqual(image.pixels[3 * j], image.pixels[3 * j + 1])
            XCTAssertEqual(image.pixels[3 * j], image.pixels[3 * j + 2])
            XCTAssertEqual(Double(image.pixels[3 * j]), Double(gray[j]), accuracy: 4)
        }
    }

    func testDecode_corruptInputs_throwInsteadOfExiting() throws {
        let valid = DatasetWriters.jpeg(pixels: halves(width: 32, height: 32), width: 32, height: 32, quality: 90)
        func reason(_ bytes: [UInt8]) -> String? {
            guard case .corruptImage(let path, let reason)? = TestFiles.dataError({ try JPEGDecoder.decode(bytes, path: "x.JPEG") })
            else { return nil }
            XCTAssertEqual(path, "x.JPEG")
            return reason
        }
        XCTAssertEqual(reason([]), "the file is empty")
        XCTAssertTrue(reason(Array("this is not an image".utf8))?.contains("Not a JPEG file") ?? false)
        // Cut inside the entropy-coded data: libjpeg would pad with gray; we refuse, as Pillow does.
        XCTAssertTrue(reason(Array(valid.dropLast(10)))?.contains("truncated") ?? false)
        XCTAssertNotNil(reason(Array(valid.prefix(40))), "cut inside the header")
        XCTAssertNotNil(reason(Array(valid.prefix(valid.count / 2))), "cut before the scan")
        // A header claiming 65000×65000 pixels is refused before any allocation.
        var huge = valid
        if let sof = (0..<(huge.count - 9)).first(where: { huge[$0] == 0xFF && huge[$0 + 1] == 0xC0 }) {
            huge.replaceSubrange((sof + 5)..<(sof + 9), with: [0xFD, 0xE8, 0xFD, 0xE8])
        }
        XCTAssertTrue(reason(huge)?.contains("exceed the limit") ?? false, reason(huge) ?? "decoded")
        XCTAssertNoThrow(try JPEGDecoder.decode(valid))
    }

    func testDecodeFile_missingOrEmptyFile() throws {
        let root = try makeTemporaryDirectory("hebb-jpeg")
        guard case .unreadable? = TestFiles.dataError({ try JPEGDecoder.decode(fileAt: root.appendingPathComponent("none.jpg")) })
        else { return XCTFail("expected unreadable") }
        let empty = root.appendingPathComponent("empty.JPEG")
        try Data().write(to: empty)
        XCTAssertEqual(
            TestFiles.dataError { try JPEGDecoder.decode(fileAt: empty) }, .corruptImage(path: empty.path, reason: "the file is empty"))
        XCTAssertGreaterThanOrEqual(JPEGDecoder.libraryVersion, 62)
    }
}
