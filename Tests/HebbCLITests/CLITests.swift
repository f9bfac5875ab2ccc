import Foundation
import HebbExperiment
import HebbTestSupport
import XCTest

@testable import HebbCLI

final class CLITests: XCTestCase {
    private typealias Outcome = CLIOutcome

    private var temporary: URL!
    /// Empty data root for each test.
    private var dataRoot: URL!
    /// Folder with valid tiny MNIST files.
    private var datasets: URL!

    override func setUpWithError() throws {
        temporary = try makeTemporaryDirectory("hebb-cli")
        let directory = temporary!
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        dataRoot = temporary.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: dataRoot, withIntermediateDirectories: true)
        datasets = temporary.appendingPathComponent("datasets")
        try DatasetWriters.writeMNIST(to: datasets, train: 100, test: 20, seed: 5)
    }

    private func run(_ arguments: [String], environment: [String: String] = [:]) -> Outcome {
        var out: [String] = []
        var err: [String] = []
        let code = CLI.run(arguments: arguments, environment: environment, stdout: { out.append($0) }, stderr: { err.append($0) })
        return Outcome(code: code, stdout: out, stderr: err)
    }

    /// `hebb train` of the tiny model with the test's data root and datasets (overridable).
    private func train(_ extra: [String] = [], datasets: URL? = nil, preset: String = "soft-c8-t1+BP-c10") -> Outcome {
        run(
            ["train", "--preset", preset, "--dataset-unsup", "MNIST_1", "--dataset-sup", "MNIST_1",
             "--data-root", dataRoot.path, "--datasets", (datasets ?? self.datasets).path] + extra,
            environment: ["HOME": temporary.path])
    }

    /// Exit `code`, exactly one `error:` line on stderr containing each fragment, and nothing
    /// written under the data root's results.
    private func assertFailure(
        _ outcome: Outcome, code: Int32, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(outcome.code, code, "\(outcome.stderr)", file: file, line: line)
        XCTAssertEqual(outcome.stderr.count, 1, "\(outcome.stderr)", file: file, line: line)
        let text = outcome.errorLine
        XCTAssertTrue(text.hasPrefix("error: "), text, file: file, line: line)
        XCTAssertFalse(text.contains("\n"), "not one line: \(text)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(text.contains(fragment), "'\(fragment)' not in: \(text)", file: file, line: line)
        }
        let written = DatasetWriters.files(under: dataRoot.appendingPathComponent("hebb/result"))
        XCTAssertEqual(written, [], "partial results written", file: file, line: line)
    }

    // MARK: - Informational commands

    func testPresets_noName_listsBuiltinNames() {
        let outcome = run(["presets"])
        XCTAssertEqual(outcome.code, 0)
        XCTAssertEqual(outcome.stderr, [])
        for name in ["2SoftMlpMNIST", "2SoftMlpMNIST_linearDecay", "KrotovMlpMNIST"] {
            XCTAssertTrue(outcome.stdout.contains { $0.hasPrefix(name + " ") }, "\(name) not in \(outcome.stdout)")
        }
    }

    func testPresets_name_printsResolvedModel() {
        let outcome = run(["presets", "2SoftMlpMNIST"])
        XCTAssertEqual(outcome.code, 0)
        let text = outcome.stdout.joined(separator: "\n")
        XCTAssertTrue(text.contains("784→2000"), text)
        XCTAssertTrue(text.contains("2.1651"), text)
        XCTAssertTrue(text.contains("2000→10"), text)
    }

    func testPresets_unknownName_suggests() {
        let outcome = run(["presets", "KrotovMlpMNST"])
        XCTAssertEqual(outcome.code, 64)
        XCTAssertTrue(outcome.errorLine.contains("did you mean 'KrotovMlpMNIST'"), outcome.errorLine)
    }

    func testVersion_printsVersion() {
        let outcome = run(["--version"])
        XCTAssertEqual(outcome.code, 0)
        XCTAssertEqual(outcome.stdout, [CLI.version])
        XCTAssertTrue(CLI.version.hasPrefix("hebb "))
    }

    func testRun_noArguments_printsOverviewWithUsageCode() {
        let outcome = run([])
        XCTAssertEqual(outcome.code, 64)
        XCTAssertTrue(outcome.stderr.joined().contains("usage: hebb"))
    }

    func testRun_unknownCommand_suggestsAndExits64() {
        let outcome = run(["trian"])
        XCTAssertEqual(outcome.code, 64)
        XCTAssertEqual(outcome.stderr, ["error: unknown command 'trian' (did you mean 'train'?)"])
    }

    func testTrainHelp_listsOptions() {
        let outcome = run(["train", "--help"])
        XCTAssertEqual(outcome.code, 0)
        XCTAssertTrue(outcome.stdout.joined().contains("--training-mode MODE"))
    }

    // MARK: - Usage errors (64)

    func testTrain_withoutPreset_exits64() {
        let outcome = run(["train", "--data-root", dataRoot.path])
        assertFailure(outcome, code: 64, contains: ["--preset"])
    }

    func testTrain_unknownPreset_oneLineWithSuggestion() {
        assertFailure(train(preset: "2SoftMlpMNST"), code: 64, contains: ["unknown preset '2SoftMlpMNST'", "did you mean"])
    }

    func testTrain_badLayerToken_oneLine() {
        assertFailure(train(preset: "soft-c-5+BP-c10"), code: 64, contains: ["token 'c' has no value"])
    }

    func testTrain_badOptionValues_exit64() {
        assertFailure(train(["--training-mode", "bogus"]), code: 64, contains: ["bogus", "successive"])
        assertFailure(train(["--seed", "-1"]), code: 64, contains: ["'-1'", "non-negative"])
        assertFailure(train(["--save", "maybe"]), code: 64, contains: ["maybe", "true or false"])
        assertFailure(train(["--resume", "some"]), code: 64, contains: ["without_classifier"])
        assertFailure(train(["--training-blocks", "0,x"]), code: 64, contains: ["0,x"])
        assertFailure(train(["--threads", "0"]), code: 64, contains: ["positive integer"])
        let badKey = run(["train", "--preset", "soft-c8+BP-c10", "--dataset-sup", "MNIST_11", "--data-root", dataRoot.path])
        assertFailure(badKey, code: 64, contains: ["MNIST_11", "did you mean 'MNIST_1'"])
        assertFailure(train(["--trainig-mode", "successive"]), code: 64, contains: ["did you mean '--training-mode'"])
        assertFailure(train(["--training-blocks", "7"]), code: 64, contains: ["block b7"])
    }

    /// Value errors name the option as typed, with its dashes, as `CLIError` documents (and as
    /// the parser's own errors do). BUG: TrainCommand passes "training-mode", "seed", … without
    /// the dashes, so the message reads "for option 'training-mode'".
    func testTrain_badOptionValue_namesOptionWithDashes() {
        for (option, value) in [("--training-mode", "bogus"), ("--seed", "-1"), ("--save", "maybe"), ("--resume", "x")] {
            let line = train([option, value]).errorLine
            XCTAssertTrue(line.contains("option '\(option)'"), line)
        }
    }

    // MARK: - Data errors (65, 66)

    func testTrain_missingDataset_exits66ListingSearchedDirectories() throws {
        let empty = temporary.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try XCTSkipIf(
            FileManager.default.fileExists(atPath: "/usr/share/datasets/mnist"), "this machine has MNIST in the system root")
        let outcome = train(datasets: empty)
        assertFailure(
            outcome, code: 66,
            contains: [
                "dataset MNIST_1", "not found", "searched:", empty.path, dataRoot.appendingPathComponent("datasets").path,
                "/usr/share/datasets",
            ])
    }

    func testTrain_truncatedImages_exits65NamingFile() throws {
        let path = datasets.appendingPathComponent("train-images-idx3-ubyte")
        try DatasetWriters.truncate(path, to: 0.5)
        assertFailure(train(), code: 65, contains: [path.path, "truncated"])
    }

    func testTrain_corruptGzip_exits65() throws {
        try DatasetWriters.writeCorruptGzip(named: "t10k-labels-idx1-ubyte", in: datasets)
        assertFailure(train(), code: 65, contains: ["t10k-labels-idx1-ubyte.gz", "gzip"])
    }

    func testTrain_badMagic_exits65() throws {
        let path = datasets.appendingPathComponent("train-labels-idx1-ubyte")
        var bytes = try Data(contentsOf: path)
        bytes[3] = 0x03
        try bytes.write(to: path)
        assertFailure(train(), code: 65, contains: [path.path, "magic"])
    }

    func testTrain_corruptCheckpointOnResume_exits65() throws {
        let folder = dataRoot.appendingPathComponent("hebb/result/network/tiny")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("not a checkpoint".utf8).write(to: folder.appendingPathComponent("model.safetensors"))
        try Data("{}".utf8).write(to: folder.appendingPathComponent("config.json"))
        let outcome = train(["--model-name", "tiny", "--resume", "all"])
        XCTAssertEqual(outcome.code, 65, "\(outcome.stderr)")
        XCTAssertEqual(outcome.stderr.count, 1)
        XCTAssertTrue(outcome.errorLine.hasPrefix("error: "))
        XCTAssertTrue(outcome.errorLine.contains(folder.path), outcome.errorLine)
        XCTAssertEqual(DatasetWriters.files(under: folder), ["config.json", "model.safetensors"])
    }

    /// Checkpoint errors must not suggest a `--resume` value the CLI refuses.
    func testTrain_resumeNone_isRejectedAsUsageError() {
        let outcome = train(["--resume", "none", "--training-blocks", "0", "--save", "false"])
        XCTAssertEqual(outcome.code, 64, "\(outcome.stderr)")
        XCTAssertFalse(CheckpointError.truncated(path: "x", expectedBytes: 2, actualBytes: 1).description.contains("--resume none"))
    }

    // MARK: - Success

    func testTrain_tinyModel_succeedsAndReportsAccuracy() throws {
        let outcome = train(["--seed", "2", "--model-name", "tiny"])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
        XCTAssertEqual(outcome.stderr, [])
        XCTAssertTrue(outcome.stdout.contains { $0.hasPrefix("test accuracy ") }, "\(outcome.stdout)")
        XCTAssertTrue(outcome.stdout.contains { $0.hasPrefix("Epoch: [1/1]") }, "\(outcome.stdout)")
        let folder = dataRoot.appendingPathComponent("hebb/result/network/tiny")
        XCTAssertTrue(outcome.stdout.contains("results: \(folder.path)"), "\(outcome.stdout)")
        let files = DatasetWriters.files(under: folder)
        XCTAssertEqual(files, ["config.json", "metrics.csv", "metrics.jsonl", "model.safetensors", "neurons-b0.csv", "pictures/b0-epoch001.png", "pictures/metrics.png", "summary.json"])
        XCTAssertTrue(outcome.stdout.contains { $0.contains("Info b0 MW:") }, "Info string on the unsupervised line")
        XCTAssertTrue(outcome.stdout.contains { $0.hasPrefix("block 0 neurons:") && $0.contains("\n|win %") }, "neuron table printed")
    }

    func testTrain_progressTrueOffTerminal_printsPlainProgressLinesWithETA() {
        let outcome = train(["--progress", "true", "--save", "false"])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
        XCTAssertTrue(outcome.stderr.contains { $0.hasPrefix("phase 1/2 epoch 1/1 [") && $0.contains("ETA ") }, "\(outcome.stderr)")
        XCTAssertTrue(outcome.stderr.contains { $0.contains("100 %") }, "\(outcome.stderr)")
        XCTAssertFalse(outcome.stderr.contains { $0.contains("\r") }, "no carriage returns off a terminal")
        XCTAssertEqual(train(["--save", "false"]).stderr, [], "auto: no bar when stderr is not a terminal")
    }

    func testTrain_progressOnTerminal_redrawsInPlace() {
        var raw = ""
        let code = CLI.run(
            arguments: ["train", "--preset", "soft-c8-t1+BP-c10", "--dataset-unsup", "MNIST_1", "--dataset-sup", "MNIST_1",
                        "--datasets", datasets.path, "--data-root", dataRoot.path, "--save", "false"],
            environment: ["HOME": temporary.path], stdout: { _ in }, stderr: { _ in }, terminal: { raw += $0 })
        XCTAssertEqual(code, 0)
        XCTAssertTrue(raw.contains("\rphase 1/2 epoch 1/1 ["), raw)
        XCTAssertTrue(raw.hasSuffix("\r\u{1B}[K"), "the bar is erased at the end")
        assertFailure(train(["--progress", "sometimes"]), code: 64, contains: ["--progress", "sometimes", "auto, true or false"])
    }

    func testTrain_validationSup_evaluatesOnHeldOutSupervisedImages() throws {
        let outcome = train(["--validation-sup", "true", "--model-name", "val"])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
        XCTAssertTrue(outcome.stdout.contains { $0.hasPrefix("validation accuracy ") }, "\(outcome.stdout)")
        let summary = try Data(contentsOf: dataRoot.appendingPathComponent("hebb/result/network/val/summary.json"))
        let fields = try XCTUnwrap(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
        XCTAssertEqual(fields["validation"] as? Bool, true)
        XCTAssertTrue(train(["--validation-unsup", "true", "--save", "false"]).stdout.contains { $0.hasPrefix("test accuracy ") })
    }

    func testProbe_afterTrain_reportsBestAccuracy_andMissingRunExits66() {
        XCTAssertEqual(train(["--model-name", "probed", "--freeze-blocks", "1"]).code, 0)
        let outcome = run(
            ["probe", "--model-name", "probed", "--data-root", dataRoot.path, "--datasets", datasets.path, "--epochs", "3"],
            environment: ["HOME": temporary.path])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
        XCTAssertTrue(outcome.stdout.last?.hasPrefix("best test accuracy ") ?? false, "\(outcome.stdout)")
        let missing = run(["probe", "--model-name", "nothing", "--data-root", dataRoot.path], environment: ["HOME": temporary.path])
        XCTAssertEqual(missing.code, 66)
        XCTAssertTrue(missing.errorLine.contains("no trained run at"), missing.errorLine)
        XCTAssertEqual(train(["--init-blocks", "0", "--save", "false"]).code, 64, "--init-blocks needs --init-from")
    }

    func testTrain_saveFalse_writesNothing() {
        let outcome = train(["--save", "false", "--training-blocks", "0"])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
        XCTAssertFalse(outcome.stdout.contains { $0.hasPrefix("results:") })
        XCTAssertEqual(DatasetWriters.files(under: dataRoot), [])
    }

    func testTrain_datasetsFromEnvironment_areFound() {
        let outcome = run(
            ["train", "--preset", "soft-c8-t1+BP-c10", "--dataset-unsup", "MNIST_1", "--dataset-sup", "MNIST_1",
             "--training-blocks", "1", "--save", "no"],
            environment: ["HEBB_DATA": dataRoot.path, "HEBB_DATASETS": datasets.path, "HOME": temporary.path])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
    }
}
