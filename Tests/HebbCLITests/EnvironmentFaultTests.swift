import Foundation
import HebbExperiment
import HebbTestSupport
import XCTest

@testable import HebbCLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Faults of the machine around `hebb train`: each is one `error:` line with the path and a hint,
/// and a documented exit code. `scripts/chaos.sh` and the README show the same faults on a real
/// full tmpfs and a read-only mount.
final class EnvironmentFaultTests: XCTestCase {
    private typealias Outcome = CLIOutcome

    private var temporary: URL!
    private var datasets: URL!

    override func setUpWithError() throws {
        temporary = try makeTemporaryDirectory("hebb-env-faults")
        let directory = temporary!
        addTeardownBlock {
            _ = chmod(directory.path, 0o755)
            try? FileManager.default.removeItem(at: directory)
        }
        datasets = temporary.appendingPathComponent("datasets")
        try DatasetWriters.writeMNIST(to: datasets, train: 100, test: 20, seed: 5)
    }

    private func train(root: URL, _ extra: [String] = [], preset: String = "soft-c8-t1+BP-c10") -> Outcome {
        var out: [String] = []
        var err: [String] = []
        let arguments = [
            "train", "--preset", preset, "--dataset-unsup", "MNIST_1", "--dataset-sup", "MNIST_1",
            "--data-root", root.path, "--datasets", datasets.path, "--model-name", "tiny",
        ] + extra
        let code = CLI.run(arguments: arguments, environment: ["HOME": temporary.path], stdout: { out.append($0) }, stderr: { err.append($0) })
        return Outcome(code: code, stdout: out, stderr: err)
    }

    private func assertOneLine(
        _ outcome: Outcome, code: Int32, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(outcome.code, code, "\(outcome.stderr)", file: file, line: line)
        XCTAssertEqual(outcome.stderr.count, 1, "\(outcome.stderr)", file: file, line: line)
        XCTAssertTrue(outcome.errorLine.hasPrefix("error: "), outcome.errorLine, file: file, line: line)
        XCTAssertFalse(outcome.errorLine.contains("\n"), outcome.errorLine, file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(outcome.errorLine.contains(fragment), "'\(fragment)' not in: \(outcome.errorLine)", file: file, line: line)
        }
    }

    func testTrain_dataRootWithMissingParent_exits1BeforeTraining() {
        let root = temporary.appendingPathComponent("no/such/root")
        let outcome = train(root: root)
        assertOneLine(
            outcome, code: 1,
            contains: ["data root '\(root.path)' does not exist", "parent '\(temporary.path)/no/such'", "--data-root"])
        XCTAssertFalse(outcome.stdout.contains { $0.hasPrefix("Phase 0") }, "fails before training: \(outcome.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary.appendingPathComponent("no").path))
    }

    func testTrain_dataRootIsAFile_exits1() throws {
        let root = temporary.appendingPathComponent("root-file")
        try Data("x".utf8).write(to: root)
        assertOneLine(train(root: root), code: 1, contains: ["cannot create directory '\(root.path)'", "a file with that name exists", "HEBB_DATA"])
    }

    func testTrain_readOnlyDataRoot_exits1BeforeTraining() throws {
        try XCTSkipIf(geteuid() == 0, "running as root: permission bits are ignored, a 0555 folder stays writable (chaos.sh shows a read-only mount)")
        let root = temporary.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(root.path, 0o555), 0)
        defer { _ = chmod(root.path, 0o755) }
        let outcome = train(root: root)
        assertOneLine(outcome, code: 1, contains: [root.path, "Permission denied", "--data-root"])
        XCTAssertFalse(outcome.stdout.contains { $0.hasPrefix("Phase 0") })
    }

    func testTrain_unreadableDatasetFile_exits66NamingIt() throws {
        try XCTSkipIf(geteuid() == 0, "running as root: chmod 000 does not deny reading (chaos.sh runs this case as nobody)")
        let file = datasets.appendingPathComponent("train-images-idx3-ubyte")
        XCTAssertEqual(chmod(file.path, 0o000), 0)
        defer { _ = chmod(file.path, 0o644) }
        assertOneLine(train(root: temporary.appendingPathComponent("root")), code: 66, contains: [file.path, "readable"])
    }

    /// Disk full, simulated with a file-size limit (SIGXFSZ ignored, so writes fail with EFBIG like
    /// they fail with ENOSPC on a full disk): the checkpoint write fails, the run stops with exit 1,
    /// and no temporary file is left behind.
    func testTrain_writeFailsMidRun_exits1AndLeavesNoTemporaryFiles() throws {
        let root = temporary.appendingPathComponent("small")
        var saved = rlimit()
        XCTAssertEqual(getrlimit(RLIMIT_FSIZE_ID, &saved), 0)
        let previous = signal(SIGXFSZ, SIG_IGN)
        var limit = saved
        limit.rlim_cur = 8192
        XCTAssertEqual(setrlimit(RLIMIT_FSIZE_ID, &limit), 0)
        let outcome = train(root: root)
        XCTAssertEqual(setrlimit(RLIMIT_FSIZE_ID, &saved), 0)
        signal(SIGXFSZ, previous)
        let model = root.appendingPathComponent("hebb/result/network/tiny/model.safetensors")
        assertOneLine(outcome, code: 1, contains: ["cannot write '", "write failed: File too large", "check free space"])
        XCTAssertTrue(outcome.stdout.contains { $0.hasPrefix("Epoch: [1/1]") }, "the failure came after training: \(outcome.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.path))
        let leftovers = DatasetWriters.files(under: root).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testTrain_divergingRun_exits1NamingBlockEpochAndStep() {
        let outcome = train(root: temporary.appendingPathComponent("nan"), preset: "soft-c8-t1-lr1e30+BP-c10")
        assertOneLine(
            outcome, code: 1,
            contains: ["the weights after the Hebbian update became NaN or infinite in block b0 at epoch 1, step 1", "lower the learning rate"])
    }

    func testTrain_resumeWithOtherPreset_exits65WithTheReason() {
        let root = temporary.appendingPathComponent("root")
        XCTAssertEqual(train(root: root, ["--training-blocks", "0"]).code, 0)
        let outcome = train(root: root, ["--resume", "all"], preset: "soft-c8-t2+BP-c10")
        assertOneLine(outcome, code: 65, contains: ["does not belong to this run", "preset 'soft-c8-t1+BP-c10', not 'soft-c8-t2+BP-c10'"])
    }
}

#if canImport(Glibc)
    /// `RLIMIT_FSIZE` as `setrlimit` takes it on Glibc (an enum there, an Int32 elsewhere).
    private let RLIMIT_FSIZE_ID = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
#else
    private let RLIMIT_FSIZE_ID = RLIMIT_FSIZE
#endif
