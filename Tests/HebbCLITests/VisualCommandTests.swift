import Foundation
import HebbTestSupport
import HebbVisual
import XCTest

@testable import HebbCLI

/// `--pictures`, `--tensorboard` and `hebb view`, driven in-process, and the TensorBoard read-back.
final class VisualCommandTests: XCTestCase {
    private var temporary: URL!
    private var dataRoot: URL!
    private var datasets: URL!

    override func setUpWithError() throws {
        temporary = try makeTemporaryDirectory("hebb-visual")
        let directory = temporary!
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        dataRoot = temporary.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: dataRoot, withIntermediateDirectories: true)
        datasets = temporary.appendingPathComponent("datasets")
        try DatasetWriters.writeMNIST(to: datasets, train: 100, test: 20, seed: 5)
    }

    private func run(_ arguments: [String]) -> CLIOutcome {
        var (out, err) = ([String](), [String]())
        let code = CLI.run(arguments: arguments, environment: ["HOME": temporary.path], stdout: { out.append($0) }, stderr: { err.append($0) })
        return CLIOutcome(code: code, stdout: out, stderr: err)
    }

    /// Trains `preset` on the tiny MNIST files as run `name`.
    private func train(_ preset: String, name: String, _ extra: [String] = []) -> CLIOutcome {
        run(["train", "--preset", preset, "--dataset-unsup", "MNIST_1", "--dataset-sup", "MNIST_1", "--model-name", name,
             "--data-root", dataRoot.path, "--datasets", datasets.path] + extra)
    }

    private func folder(_ name: String) -> URL { dataRoot.appendingPathComponent("hebb/result/network/\(name)") }

    private func assertOneLineError(_ outcome: CLIOutcome, code: Int32, contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.code, code, "\(outcome.stderr)", file: file, line: line)
        XCTAssertEqual(outcome.stderr.count, 1, file: file, line: line)
        XCTAssertTrue(outcome.errorLine.hasPrefix("error: ") && outcome.errorLine.contains(fragment), outcome.errorLine, file: file, line: line)
        XCTAssertFalse(outcome.errorLine.contains("\n"), file: file, line: line)
    }

    func testTrain_writesMosaicAndEventFile_thenViewDrawsTheRun() throws {
        let trained = train("soft-c8-t1+BP-c10", name: "tiny", ["--tensorboard", "true"])
        XCTAssertEqual(trained.code, 0, "\(trained.stderr)")
        let mosaic = folder("tiny").appendingPathComponent("pictures/b0-epoch001.png")
        XCTAssertEqual(Array(try Data(contentsOf: mosaic).prefix(8)), PNGEncoder.signature)
        let events = try FileManager.default.contentsOfDirectory(atPath: folder("tiny").appendingPathComponent("tensorboard").path)
        XCTAssertEqual(events.count, 1)
        XCTAssertTrue(events[0].hasPrefix("events.out.tfevents."), events[0])

        let out = temporary.appendingPathComponent("sheet.png")
        let viewed = run(["view", "tiny", "--data-root", dataRoot.path, "--out", out.path])
        XCTAssertEqual(viewed.code, 0, "\(viewed.stderr)")
        XCTAssertEqual(viewed.stdout.first, "B0 soft: 8 UNITS OF 1X28X28; 2 epoch record(s) plotted")
        XCTAssertTrue(viewed.stdout.last?.hasPrefix("picture: \(out.path) (") ?? false, "\(viewed.stdout)")
        XCTAssertEqual(Array(try Data(contentsOf: out).prefix(8)), PNGEncoder.signature)
        let byFolder = run(["view", folder("tiny").path, "--block", "1"])
        XCTAssertEqual(byFolder.code, 0, "\(byFolder.stderr)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder("tiny").appendingPathComponent("pictures/view-b1.png").path))

        assertOneLineError(run(["view", "tiny", "--data-root", dataRoot.path, "--block", "7"]), code: 64, contains: "block 7 does not exist")
        assertOneLineError(run(["view", "nope", "--data-root", dataRoot.path]), code: 66, contains: "no run 'nope'")
        assertOneLineError(run(["view"]), code: 64, contains: "missing argument RUN")
        assertOneLineError(run(["view", "tiny", "--block", "-1"]), code: 64, contains: "--block")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder("nope").path), "a failed view writes nothing")
    }

    func testTrain_picturesFalse_andBadBoolean() throws {
        XCTAssertEqual(train("soft-c8-t1+BP-c10", name: "plain", ["--pictures", "false"]).code, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder("plain").appendingPathComponent("pictures").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder("plain").appendingPathComponent("tensorboard").path))
        assertOneLineError(train("soft-c8-t1+BP-c10", name: "bad", ["--tensorboard", "maybe"]), code: 64, contains: "'--tensorboard'")
    }

    /// TensorBoard's own reader (EventAccumulator) must find every scalar, histogram and image
    /// with the values of metrics.jsonl, the checkpoint and pictures/. The script installs
    /// tensorboard into .build/tensorboard-venv on its first run (needs PyPI).
    func testTensorBoard_readsTheEventFileBack() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/tensorboard-check.sh")
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { throw XCTSkip("bash not found") }
        let trained = train("soft-c8-t1+soft-c4-t1+BP-c10", name: "board", ["--tensorboard", "true"])
        XCTAssertEqual(trained.code, 0, "\(trained.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, folder("board").path]
        let pipe = Pipe()
        (process.standardOutput, process.standardError) = (pipe, pipe)
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 77 { throw XCTSkip("TensorBoard unavailable: \(output)") }
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("2 histograms, 2 images: OK"), output)
        print(output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
