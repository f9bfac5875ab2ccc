import Foundation
import XCTest

@testable import HebbVisual

final class PNGEncoderTests: XCTestCase {
    func testCRC32_checkVector() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
    }

    func testRGBImage_roundTripsThroughAnIndependentDecoder() throws {
        var image = RasterImage(width: 37, height: 23)
        var generator = SystemRandomNumberGenerator()
        for y in 0..<23 {
            for x in 0..<37 {
                // Gradients, flat areas and noise, so every filter type gets chosen somewhere.
                let noise = UInt8.random(in: 0...255, using: &generator)
                image.set(x: x, y: y, x < 12 ? RGB(UInt8(x * 20), UInt8(y * 10), 7) : x < 24 ? .white : RGB(noise, 255 - noise, noise / 2))
            }
        }
        let decoded = try PNGReader(PNGEncoder.encode(image))
        XCTAssertEqual(decoded.chunkTypes, ["IHDR", "IDAT", "IEND"])
        XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [37, 23, 3])
        XCTAssertEqual(decoded.samples, image.samples)
    }

    func testGrayImage_roundTrips() throws {
        var image = RasterImage(width: 5, height: 4, colorType: .gray, background: .black)
        image.set(x: 2, y: 1, RGB(gray: 200))
        image.set(x: 4, y: 3, .white)
        let decoded = try PNGReader(PNGEncoder.encode(image, level: 9))
        XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [5, 4, 1])
        XCTAssertEqual(decoded.samples, image.samples)
        XCTAssertEqual(decoded.samples[1 * 5 + 2], 200)
    }

    func testFilters_everyTypeIsChosenForSuitableRows() {
        // Row 0 flat → None (cost 0); row 1 equal to row 0 plus a ramp → Sub or Up both cheap.
        var image = RasterImage(width: 8, height: 2, colorType: .gray, background: .black)
        for x in 0..<8 { image.set(x: x, y: 1, RGB(gray: UInt8(10 * x))) }
        let filtered = PNGEncoder.filteredScanlines(image)
        XCTAssertEqual(filtered.count, 2 * 9)
        XCTAssertEqual(filtered[0], 0)
        XCTAssertEqual(filtered[9], 1, "a ramp is cheapest as Sub")
        XCTAssertEqual(Array(filtered[10...]), [0] + [UInt8](repeating: 10, count: 7))
    }

    func testPaeth_matchesTheSpecification() {
        XCTAssertEqual(PNGEncoder.paeth(10, 20, 10), 20)
        XCTAssertEqual(PNGEncoder.paeth(20, 10, 10), 20)
        XCTAssertEqual(PNGEncoder.paeth(5, 5, 5), 5)
        XCTAssertEqual(PNGEncoder.paeth(100, 0, 50), 50)
    }

    func testPythonZlib_readsOurIDAT_whenPythonIsAvailable() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let python = path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { throw XCTSkip("python3 not found; the Swift decoder test covers the format") }
        var image = RasterImage(width: 3, height: 2)
        image.set(x: 1, y: 1, RGB(1, 2, 3))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hebb-png-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: file) }
        try PNGEncoder.encode(image).write(to: file)
        let script = """
            import sys, struct, zlib
            d = open(sys.argv[1], 'rb').read(); assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            i, idat = 8, b''
            while i < len(d):
                n, = struct.unpack('>I', d[i:i+4]); t = d[i+4:i+8]
                assert struct.unpack('>I', d[i+8+n:i+12+n])[0] == zlib.crc32(d[i+4:i+8+n])
                if t == b'IHDR': w, h = struct.unpack('>II', d[i+8:i+16])
                if t == b'IDAT': idat += d[i+8:i+8+n]
                i += 12 + n
            raw = zlib.decompress(idat); print(w, h, len(raw))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "3 2 20")
    }
}
