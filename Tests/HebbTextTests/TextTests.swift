import Foundation
import XCTest

@testable import HebbText

/// HebbText stands in for the Foundation APIs FoundationEssentials lacks: each helper is checked
/// against the Foundation call it replaces (Foundation is available to tests).
final class TextTests: XCTestCase {
    func testCFormat_matchesStringFormat_forTheConversionsHebbUses() {
        let doubles: [Double] = [
            0, -0.0, 1, -1, 0.5, 2.5, 0.125, 97.135, 1e-9, 123_456.789, -3.75e-5, 1e300, .infinity, -.infinity, .nan,
        ]
        for format in ["%.1f", "%.2f", "%.4f", "%.5f", "%.0e", "%.1e", "%.2e", "%.3e", "%.3g", "%.4g", "%.10g", "(%.1fs)", " ±%.3f", "%.2f %% (", "σ=%.4f ×"] {
            for value in doubles {
                XCTAssertEqual(cFormat(format, value), String(format: format, value), "\(format) \(value)")
            }
        }
        for value in [0, 1, 7, 42, 999, 1000, 86_399, -5, Int(Int32.max)] {
            for format in ["%d", "%3d", "%02d", "%03d", "%3d %% %d/%d ETA "] {
                XCTAssertEqual(cFormat(format, value, value, value), String(format: format, value, value, value), "\(format) \(value)")
            }
            XCTAssertEqual(cFormat("b%d-epoch%03d.png", 2, value), String(format: "b%d-epoch%03d.png", 2, value))
            let (h, m, s) = (value / 3600, (value / 60) % 60, value % 60)
            XCTAssertEqual(cFormat("%02d:%02d:%02d", h, m, s), String(format: "%02d:%02d:%02d", h, m, s))
        }
        XCTAssertEqual(
            cFormat("probe epoch %d  lr %.2e  Loss_train %.5f  Acc_train %.2f", 3, 0.001, 0.123456, 97.5),
            "probe epoch 3  lr 1.00e-03  Loss_train 0.12346  Acc_train 97.50")
    }

    func testCFormat_growsItsBufferForLongText() {
        let long = cFormat("%.300f", 1.0)
        XCTAssertEqual(long, String(format: "%.300f", 1.0))
        XCTAssertEqual(long.count, 302)
    }

    func testTrimming_matchesTrimmingCharacters() {
        for text in ["", " ", "  12 ", "\t3\t", " a b ", "\u{00A0}4\u{2003}", "\n5\n", "//x/y//", "/", "x"] {
            XCTAssertEqual(text.trimmingWhitespace, text.trimmingCharacters(in: .whitespaces), text.debugDescription)
            XCTAssertEqual(text.trimming { $0 == "/" }, text.trimmingCharacters(in: CharacterSet(charactersIn: "/")), text)
        }
    }

    func testPadded_matchesPadding() {
        for text in ["", "lr", "radius", "win %", "exactly9!", "much longer than nine", "σ=1", "é"] {
            for length in [0, 3, 9, 12] {
                XCTAssertEqual(
                    text.padded(toLength: length), text.padding(toLength: length, withPad: " ", startingAt: 0),
                    "\(text) \(length)")
            }
        }
    }

    func testPathText_matchesNSString() {
        // Not compared: repeated slashes (NSString collapses some), and deletingLastPathComponent
        // of a relative one-component path, which traps in swift-corelibs-foundation 6.3.
        for path in ["", "/", "/a", "/a/", "a/b", "a/b/", "/home/user", "/home/user/", "runs/x/model"] {
            XCTAssertEqual(PathText.lastComponent(path), (path as NSString).lastPathComponent, path)
            XCTAssertEqual(PathText.deletingLastComponent(path), (path as NSString).deletingLastPathComponent, path)
            XCTAssertEqual(PathText.appending("hebb-data", to: path), (path as NSString).appendingPathComponent("hebb-data"), path)
        }
        XCTAssertEqual(["a", "a/"].map(PathText.lastComponent), ["a", "a"])
        XCTAssertEqual(["a", "a/"].map(PathText.deletingLastComponent), ["", ""])
    }

    func testIsFolder_followsLinks_nilWhenMissing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hebb-text-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("f")
        try Data("x".utf8).write(to: file)
        let link = folder.appendingPathComponent("l")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: folder)
        XCTAssertEqual(isFolder(atPath: folder.path), true)
        XCTAssertEqual(isFolder(atPath: link.path), true)
        XCTAssertEqual(isFolder(atPath: file.path), false)
        XCTAssertNil(isFolder(atPath: folder.appendingPathComponent("missing").path))
        XCTAssertNil(isFolder(atPath: ""))
    }

    func testWriteAll_writesEveryByte() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]) }
        let bytes = [UInt8](repeating: 65, count: 10_000)
        XCTAssertTrue(bytes.withUnsafeBytes { writeAll($0, to: fds[1]) })
        writeText("é\n", to: fds[1])
        close(fds[1])
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        XCTAssertEqual(received, bytes + Array("é\n".utf8))
        XCTAssertFalse(bytes.withUnsafeBytes { writeAll($0, to: -1) })
    }
}
