import Foundation
import HebbExperiment
import HebbTestSupport
import XCTest

@testable import HebbCLI

/// `hebb search` end to end: plans, emitted job files run by bash and GNU parallel, the local
/// pool, and `hebb report` over the seeds.
final class SearchCommandTests: XCTestCase {
    /// ExperimentFixture's small model: 98–100 % on the synthetic digits, so seeds differ a little.
    static let layers = "soft-c16-t1-lr0.05+BP-c10-ls0.05:bn"
    private var temporary: URL!
    private var dataRoot: URL!
    private var datasets: URL!

    override func setUpWithError() throws {
        temporary = try makeTemporaryDirectory("hebb-search")
        let directory = temporary!
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        dataRoot = temporary.appendingPathComponent("root")
        datasets = temporary.appendingPathComponent("datasets")
        try DatasetWriters.writeMNIST(to: datasets, train: 100, test: 40, seed: 5)
    }

    private func run(_ arguments: [String]) -> CLIOutcome {
        var out: [String] = []
        var err: [String] = []
        let code = CLI.run(arguments: arguments, environment: ["HOME": temporary.path], stdout: { out.append($0) }, stderr: { err.append($0) })
        return CLIOutcome(code: code, stdout: out, stderr: err)
    }

    /// A search of the tiny model on the tiny data, with `extra` options.
    private func search(_ extra: [String], folder: String = "sweep") -> CLIOutcome {
        run(["search", "--preset", Self.layers, "--dataset-unsup", "MNIST_1", "--dataset-sup", "MNIST_10",
             "--data-root", dataRoot.path, "--datasets", datasets.path, "--folder-name", folder] + extra)
    }

    private func hebb() throws -> String {
        guard let path = ProcessHelpers.hebbExecutable else { throw XCTSkip("no built hebb executable next to the tests; run `swift build --product hebb`") }
        return path
    }

    private func searchFile(_ folder: String, _ name: String) -> URL {
        dataRoot.appendingPathComponent("hebb/search/\(folder)/\(name)")
    }

    private func summary(_ modelName: String) throws -> TrainingSummary {
        let file = dataRoot.appendingPathComponent("hebb/result/network/\(modelName)/summary.json")
        return try JSONDecoder().decode(TrainingSummary.self, from: Data(contentsOf: file))
    }

    /// `hebb report` over the sweep's runs: one configuration, n = 4, seeds 0…3, mean ±std.
    private func assertReportOverFourSeeds(_ folder: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let csv = temporary.appendingPathComponent("\(folder).csv")
        let report = run(["report", dataRoot.appendingPathComponent("hebb/result/network/\(folder)").path, "--csv", csv.path])
        XCTAssertEqual(report.code, 0, "\(report.stderr)", file: file, line: line)
        let text = report.stdout.joined(separator: "\n")
        let row = try XCTUnwrap(report.stdout.first { $0.hasPrefix("| \(Self.layers) ") }, text, file: file, line: line)
        XCTAssertTrue(row.hasPrefix("| \(Self.layers) | MNIST_1 / MNIST_10 | 4 | 0,1,2,3 | "), row, file: file, line: line)
        let accuracy = row.split(separator: "|")[4].trimmingCharacters(in: .whitespaces)
        XCTAssertNotNil(accuracy.range(of: #"^\d+\.\d\d ±\d+\.\d\d$"#, options: .regularExpression), accuracy, file: file, line: line)
        // The printed mean is the mean of the four summaries.
        let accuracies = try (0..<4).map { Double(try summary("\(folder)/t00\($0)").testAccuracy) }
        XCTAssertEqual(Double(accuracy.split(separator: " ")[0])!, accuracies.reduce(0, +) / 4, accuracy: 0.006, file: file, line: line)
        XCTAssertTrue(text.contains("4 runs in 1 configurations"), text, file: file, line: line)
        XCTAssertEqual(try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").count, 2, file: file, line: line)
    }

    /// Four runs exist, seeded 0…3 on the unsup side, 0 on the sup side.
    private func assertFourSeedRuns(_ folder: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let summaries = try (0..<4).map { try summary("\(folder)/t00\($0)") }
        XCTAssertEqual(summaries.map(\.unsupervisedSeed), [0, 1, 2, 3], file: file, line: line)
        XCTAssertEqual(summaries.map(\.supervisedSeed), [0, 0, 0, 0], file: file, line: line)
        XCTAssertEqual(summaries.map(\.seed), [0, 1, 2, 3], "weight init follows the unsup seed", file: file, line: line)
    }

    func testLocalPool_runsFourSeedsTwoAtATime_thenReport() throws {
        let outcome = search(["--jobs", "2", "--hebb", try hebb()])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stdout)\n\(outcome.stderr)")
        XCTAssertEqual(outcome.stdout.filter { $0.contains("] finished in ") }.count, 4, "\(outcome.stdout)")
        XCTAssertTrue(outcome.stdout.contains { $0.hasPrefix("best trial by test_acc (highest): t00") }, "\(outcome.stdout)")
        try assertFourSeedRuns("sweep")
        let table = try String(contentsOf: searchFile("sweep", "trials.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(table.first, "trial,model_name,status,seed,test_acc,test_loss,train_acc,train_loss,convergence,R1,seconds")
        XCTAssertEqual(table.count, 5)
        XCTAssertTrue(table.dropFirst().allSatisfy { $0.contains(",ok,") }, "\(table)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: searchFile("sweep", "logs/t003.log").path))
        try assertReportOverFourSeeds("sweep")
    }

    func testEmitParallel_runByGNUParallel_thenCollectAndReport() throws {
        let executable = try hebb()
        guard let parallel = ProcessHelpers.which("parallel") else { throw XCTSkip("GNU parallel is not installed (apt-get install parallel)") }
        let outcome = search(["--emit", "parallel", "--hebb", executable], folder: "par")
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
        let jobs = searchFile("par", "jobs.txt")
        let lines = try String(contentsOf: jobs, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("\(executable) train --preset \(JobScripts.quote(Self.layers)) ") }, "\(lines)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dataRoot.appendingPathComponent("hebb/result").path), "emitting runs nothing")
        let result = try ProcessHelpers.run(parallel, ["--will-cite", "--jobs", "2"], input: jobs, directory: temporary)
        XCTAssertEqual(result.status, 0, result.output)
        try assertFourSeedRuns("par")
        let collected = run(["search", "--collect", "--folder-name", "par", "--data-root", dataRoot.path])
        XCTAssertEqual(collected.code, 0, "\(collected.stdout) \(collected.stderr)")
        XCTAssertTrue(collected.stdout.contains { $0.hasPrefix("4 of 4 trials finished") }, "\(collected.stdout)")
        try assertReportOverFourSeeds("par")
    }

    func testEmitSlurm_passesBashNAndRunsExactlyOneTrialPerArrayIndex() throws {
        let bash = try XCTUnwrap(ProcessHelpers.which("bash"))
        let outcome = run(["search", "--preset", "2SoftMlpMNIST", "--config", "radius", "--data-root", dataRoot.path,
                           "--folder-name", "rad", "--emit", "slurm", "--hebb", "/opt/hebb's bin/hebb", "--sbatch=--time=1:00:00"])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
        let script = searchFile("rad", "slurm.sh")
        let check = try ProcessHelpers.run(bash, ["-n", script.path])
        XCTAssertEqual(check.status, 0, check.output)
        let lines = try String(contentsOf: script, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("#SBATCH --array=0-80"), "\(lines.prefix(8))")
        XCTAssertTrue(lines.contains("#SBATCH --time=1:00:00"))
        for index in 0..<81 {
            let arms = lines.filter { $0.hasPrefix("  \(index)) ") }
            XCTAssertEqual(arms.count, 1, "index \(index)")
            XCTAssertEqual(arms.first?.components(separatedBy: "'/opt/hebb'\\''s bin/hebb' train ").count, 2, "one hebb train for index \(index)")
            XCTAssertTrue(arms.first?.contains("--model-name rad/t\(String(format: "%03d", index)) ") ?? false)
        }
        XCTAssertEqual(lines.filter { $0.contains(" train --preset ") }.count, 81)
    }

    func testSlurmScript_runsTheTrialOfItsArrayIndex() throws {
        let executable = try hebb()
        let bash = try XCTUnwrap(ProcessHelpers.which("bash"))
        XCTAssertEqual(search(["--emit", "slurm", "--hebb", executable], folder: "array").code, 0)
        let script = searchFile("array", "slurm.sh").path
        let result = try ProcessHelpers.run(bash, [script], environment: ["SLURM_ARRAY_TASK_ID": "2", "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(try summary("array/t002").unsupervisedSeed, 2)
        let runs = try FileManager.default.contentsOfDirectory(atPath: dataRoot.appendingPathComponent("hebb/result/network/array").path)
        XCTAssertEqual(runs, ["t002"])
        let outside = try ProcessHelpers.run(bash, [script], environment: ["SLURM_ARRAY_TASK_ID": "9", "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(outside.status, 64, outside.output)
    }

    func testDryRun_printsCommandsAndWritesNothing() {
        let outcome = run(["search", "--preset", "4SoftHebbCnnCIFAR", "--dataset-unsup", "CIFAR10_1", "--dataset-sup", "CIFAR10_50",
                           "--config", "regimes", "--data-root", dataRoot.path, "--dry-run", "--hebb", "hebb"])
        XCTAssertEqual(outcome.code, 0, "\(outcome.stderr)")
        XCTAssertEqual(outcome.stdout.count, 600)
        XCTAssertEqual(Set(outcome.stdout).count, 600)
        XCTAssertTrue(outcome.stdout[0].hasPrefix("hebb train --preset 4SoftHebbCnnCIFAR --dataset-unsup CIFAR10_1 --dataset-sup CIFAR10_50 "), outcome.stdout[0])
        XCTAssertTrue(outcome.stdout[0].hasSuffix("--model-name regimes-4SoftHebbCnnCIFAR/t000 --data-root \(dataRoot.path) --seed-unsup 0 --set b0,b1,b2.softness=soft --set b0,b1,b2.t_invert=1.4272477e-05"), outcome.stdout[0])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dataRoot.path))
    }

    func testBadOptions_failWithOneLineAndWriteNothing() {
        let cases: [([String], Int32, String)] = [
            (["--config", "sed"], 64, "did you mean 'seed'?"),
            (["--config", temporary.appendingPathComponent("none.json").path], 64, "cannot be read"),
            (["--metric", "accuracy"], 64, "train_loss, train_acc, test_loss, test_acc, convergence, R1"),
            (["--set", "b7.t=1"], 64, "has no block b7"),
            (["--set", "b0.t=x"], 64, "bad value 'x'"),
            (["--emit", "condor"], 64, "parallel or slurm"),
            (["--jobs", "0"], 64, "a positive integer"),
            (["--num-samples", "-1"], 64, "--num-samples"),
            (["--folder-name", "../up"], 64, "invalid --folder-name"),
            (["--dataset-sup", "MNIST_99"], 64, "MNIST_99"),
            (["--jobs", "2", "--hebb", temporary.appendingPathComponent("nohebb").path], 66, "is not an executable file"),
            (["--emit", "parallel", "--jobs", "2"], 64, "--jobs cannot be combined with --emit"),
            (["--collect"], 64, "--preset cannot be combined with --collect"),
        ]
        for (extra, code, fragment) in cases {
            let outcome = run(["search", "--preset", "soft-c8-t1+BP-c10", "--data-root", dataRoot.path, "--datasets", datasets.path] + extra)
            XCTAssertEqual(outcome.code, code, "\(extra): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.count, 1, "\(extra): \(outcome.stderr)")
            XCTAssertTrue(outcome.errorLine.hasPrefix("error: ") && outcome.errorLine.contains(fragment), "\(extra): \(outcome.errorLine)")
            XCTAssertEqual(DatasetWriters.files(under: dataRoot), [], "\(extra) wrote files")
        }
        let collect = run(["search", "--collect", "--folder-name", "never", "--data-root", dataRoot.path])
        XCTAssertEqual(collect.code, 66)
        XCTAssertTrue(collect.errorLine.contains("trials.json: it is missing"), collect.errorLine)
    }
}
