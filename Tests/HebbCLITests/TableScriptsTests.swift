import Foundation
import HebbTestSupport
import XCTest

/// The results-table scripts (scripts/tables): all parse, and the CPU-sized one runs end to end.
final class TableScriptsTests: XCTestCase {
    private let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/tables")

    func testEveryTableScript_passesBashN() throws {
        let bash = try XCTUnwrap(ProcessHelpers.which("bash"))
        let scripts = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sh") }.sorted()
        XCTAssertEqual(scripts, [
            "cifar10-layers.sh", "cifar10-width.sh", "cifar100-layers.sh", "fashion-mnist-cpu.sh", "imagenet-one-seed.sh",
            "imagenette-layers.sh", "mnist-cpu.sh", "mnist-radius.sh", "stl10-layers.sh",
        ])
        for script in scripts + ["common.bash"] {
            let path = folder.appendingPathComponent(script).path
            let result = try ProcessHelpers.run(bash, ["-n", path])
            XCTAssertEqual(result.status, 0, "\(script): \(result.output)")
            guard script.hasSuffix(".sh") else { continue }
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: path), "\(script) is not executable")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let runsTable = (text.contains("search ") || text.contains("layers_table ")) && (text.contains("report ") || text.contains("layers_table "))
            XCTAssertTrue(runsTable || text.contains("exec \"$(dirname \"$0\")/"), "\(script) neither searches and reports nor delegates")
        }
    }

    /// mnist-cpu.sh on tiny synthetic MNIST with 8 units and one seed (the 4-seed sweep is
    /// SearchCommandTests'): 4 configurations through emitted job files and GNU parallel, then
    /// the report with one row per configuration.
    func testMNISTCPUScript_runsFourConfigurationsAndReports() throws {
        guard let hebb = ProcessHelpers.hebbExecutable else { throw XCTSkip("no built hebb executable next to the tests") }
        guard ProcessHelpers.which("parallel") != nil else { throw XCTSkip("GNU parallel is not installed (apt-get install parallel)") }
        let temporary = try makeTemporaryDirectory("hebb-tables")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try DatasetWriters.writeMNIST(to: temporary.appendingPathComponent("datasets"), train: 100, test: 20, seed: 3)
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": temporary.path,
            "HEBB": hebb, "HEBB_DATA": temporary.appendingPathComponent("root").path,
            "DATASETS": temporary.appendingPathComponent("datasets").path, "WIDTH": "8", "RUNNER": "parallel", "CONFIG": "one_seed",
        ]
        let result = try ProcessHelpers.run(
            try XCTUnwrap(ProcessHelpers.which("bash")), [folder.appendingPathComponent("mnist-cpu.sh").path],
            environment: environment, directory: temporary)
        XCTAssertEqual(result.status, 0, result.output)
        let table = try String(contentsOf: temporary.appendingPathComponent("root/hebb/tables/mnist-cpu.md"), encoding: .utf8)
        let rows = table.split(separator: "\n").dropFirst(2)
        XCTAssertEqual(rows.count, 4, table)
        XCTAssertTrue(rows.allSatisfy { $0.contains("| MNIST_1 / MNIST_10 | 1 | 0 | ") }, table)
        XCTAssertTrue(table.contains("| 2SoftMlpMNIST b0.c=8 b0.kind=hard |"), table)
        XCTAssertTrue(table.contains("| 2SoftMlpMNIST b0.c=8 consecutive trained b1 |"), table)
        XCTAssertTrue(table.contains("| BP-c8:relu+BP-c10 consecutive |"), table)
    }
}
