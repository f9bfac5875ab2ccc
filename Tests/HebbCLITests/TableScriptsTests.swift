import Foundation
import XCTest

/// The results-table scripts (scripts/tables/*.sh) must at least parse.
final class TableScriptsTests: XCTestCase {
    func testEveryTableScript_passesBashN() throws {
        let bash = try XCTUnwrap(ProcessHelpers.which("bash"))
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = checkout.appendingPathComponent("scripts/tables")
        let scripts = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sh") }.sorted()
        XCTAssertGreaterThanOrEqual(scripts.count, 7, "\(scripts)")
        for script in scripts {
            let path = folder.appendingPathComponent(script).path
            let result = try ProcessHelpers.run(bash, ["-n", path])
            XCTAssertEqual(result.status, 0, "\(script): \(result.output)")
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: path), "\(script) is not executable")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(text.contains("hebb search") || text.contains("search "), "\(script) runs no search")
            XCTAssertTrue(text.contains("report"), "\(script) writes no report")
        }
    }
}
