import Foundation
import HebbExperiment
import HebbTestSupport
import XCTest

@testable import HebbCLI

/// `hebb report` and `hebb train --set/--seed-unsup` through the command line.
final class ReportCommandTests: XCTestCase {
    private var temporary: URL!
    private var dataRoot: URL!
    private var datasets: URL!

    override func setUpWithError() throws {
        temporary = try makeTemporaryDirectory("hebb-report-cli")
        let directory = temporary!
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        dataRoot = temporary.appendingPathComponent("root")
        datasets = temporary.appendingPathComponent("datasets")
        try DatasetWriters.writeMNIST(to: datasets, train: 100, test: 20, seed: 5)
    }

    private func run(_ arguments: [String]) -> CLIOutcome {
        var out: [String] = []
        var err: [String] = []
        let code = CLI.run(arguments: arguments, environment: ["HOME": temporary.path], stdout: { out.append($0) }, stderr: { err.append($0) })
        return CLIOutcome(code: code, stdout: out, stderr: err)
    }

    private func train(_ name: String, _ extra: [String]) -> CLIOutcome {
        run(["train", "--preset", "soft-c8-t1+BP-c10", "--dataset-unsup", "MNIST_1", "--dataset-sup", "MNIST_1",
             "--data-root", dataRoot.path, "--datasets", datasets.path, "--model-name", name] + extra)
    }

    private var networks: URL { dataRoot.appendingPathComponent("hebb/result/network") }

    func testTrainSet_changesTheTrainedModel_andReportSeparatesConfigurations() throws {
        for seed in 0..<2 {
            XCTAssertEqual(train("runs/plain-\(seed)", ["--seed-unsup", "\(seed)"]).code, 0)
            let wide = train("runs/wide-\(seed)", ["--seed-unsup", "\(seed)", "--set", "b0.c=12", "--set", "b0.t_invert=0.5"])
            XCTAssertEqual(wide.code, 0, "\(wide.stderr)")
        }
        let weights = { (name: String) in
            try SafeTensorsArchive.load(from: self.networks.appendingPathComponent("runs/\(name)/model.safetensors")).tensors["blocks.0.layer.weight"]?.shape
        }
        XCTAssertEqual(try weights("plain-0"), [8, 784])
        XCTAssertEqual(try weights("wide-0"), [12, 784])
        let markdown = temporary.appendingPathComponent("out/table.md"), csv = temporary.appendingPathComponent("out/table.csv")
        let report = run(["report", networks.appendingPathComponent("runs").path, "--markdown", markdown.path, "--csv", csv.path])
        XCTAssertEqual(report.code, 0, "\(report.stderr)")
        let rows = report.stdout.filter { $0.hasPrefix("| soft-c8") }
        XCTAssertEqual(rows.count, 2, "\(report.stdout)")
        XCTAssertTrue(rows[0].hasPrefix("| soft-c8-t1+BP-c10 | MNIST_1 / MNIST_1 | 2 | 0,1 | "), rows[0])
        XCTAssertTrue(rows[1].hasPrefix("| soft-c8-t1+BP-c10 b0.c=12 b0.t_invert=0.5 | MNIST_1 / MNIST_1 | 2 | 0,1 | "), rows[1])
        XCTAssertEqual(try String(contentsOf: markdown, encoding: .utf8).split(separator: "\n").count, 4)
        XCTAssertEqual(try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").count, 3)
    }

    func testTrainSet_badOverride_failsBeforeWriting() {
        for (value, fragment) in [("b2.t=1", "has no block b2"), ("b0.lr=fast", "bad value 'fast'"), ("b0:t=1", "not BLOCK.KEY=VALUE")] {
            let outcome = train("bad", ["--set", value])
            XCTAssertEqual(outcome.code, 64, value)
            XCTAssertEqual(outcome.stderr.count, 1)
            XCTAssertTrue(outcome.errorLine.contains(fragment), outcome.errorLine)
            XCTAssertEqual(DatasetWriters.files(under: dataRoot), [], "\(value) wrote files")
        }
        let seed = train("bad", ["--seed-unsup", "-2"])
        XCTAssertEqual(seed.code, 64)
        XCTAssertTrue(seed.errorLine.contains("--seed-unsup"), seed.errorLine)
    }

    func testReportErrors_nameTheFolderOrFile() throws {
        let missing = run(["report", temporary.appendingPathComponent("nothing").path])
        XCTAssertEqual(missing.code, 66)
        XCTAssertTrue(missing.errorLine.contains("no folder '"), missing.errorLine)
        let empty = temporary.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = run(["report", empty.path])
        XCTAssertEqual(none.code, 66)
        XCTAssertTrue(none.errorLine.contains("no runs under '\(empty.path)'"), none.errorLine)
        XCTAssertEqual(train("corrupt/a", []).code, 0)
        let summary = networks.appendingPathComponent("corrupt/a/summary.json")
        try Data("{ not json".utf8).write(to: summary)
        let csv = temporary.appendingPathComponent("never.csv")
        let corrupt = run(["report", networks.path, "--csv", csv.path])
        XCTAssertEqual(corrupt.code, 65)
        XCTAssertEqual(corrupt.stderr, ["error: bad run file \(summary.path): it is not a hebb run summary (re-run that trial, or move its folder out of the way)"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: csv.path), "no partial output")
        XCTAssertEqual(run(["report"]).code, 64)
    }

    func testOverview_listsSearchAndReport() {
        let help = run(["help"]).stdout.joined(separator: "\n")
        XCTAssertTrue(help.contains("  search ") && help.contains("  report "), help)
        XCTAssertEqual(run(["reprot"]).errorLine, "error: unknown command 'reprot' (did you mean 'report'?)")
        XCTAssertEqual(run(["search", "--help"]).code, 0)
        XCTAssertTrue(run(["train", "--help"]).stdout.joined().contains("--set bI.KEY=VALUE"))
    }
}
