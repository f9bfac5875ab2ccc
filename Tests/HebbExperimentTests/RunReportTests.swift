import Foundation
import HebbData
import HebbTestSupport
import XCTest

@testable import HebbExperiment

final class RunReportTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory("hebb-report")
        let directory = folder!
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    }

    /// Writes `<folder>/<name>/summary.json` (and config.json for `preset` resolved on MNIST).
    private func writeRun(
        _ name: String, preset: String = "2SoftMlpMNIST", accuracy: Float, seed: Int, overrides: [String] = [],
        trainingBlocks: [Int]? = nil, record: Bool = true
    ) throws {
        let run = folder.appendingPathComponent(name)
        let summary = TrainingSummary(
            modelName: name, preset: preset, mode: .successive, seed: seed, unsupervisedDataset: "MNIST_1",
            supervisedDataset: "MNIST_10", testAccuracy: accuracy, testLoss: 0.5, validation: false, phasesRun: 2,
            phasesSkipped: 0, unsupervisedEpochs: 1, seconds: 2, unsupervisedSeed: seed, supervisedSeed: 0, overrides: overrides)
        try AtomicFile.write(RunStore.json(summary), to: run.appendingPathComponent("summary.json"))
        guard record else { return }
        let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        let config = try LayerOverride.apply(overrides.map { try LayerOverride.parse($0) }, to: PresetLibrary.builtin().resolve(preset))
        let model = try ModelBuilder.resolve(config, data: shape)
        let unsup = try DatasetCatalog.resolve(key: "MNIST_1"), sup = try DatasetCatalog.resolve(key: "MNIST_10")
        let phases = try Phase.plan(model: model, mode: .successive, trainingBlocks: trainingBlocks, unsupervised: unsup, supervised: sup)
        let runRecord = RunRecord(
            model: model, phases: phases, completedPhases: phases.count, seed: seed, unsupervisedDataset: "MNIST_1",
            supervisedDataset: "MNIST_10", blockKeys: [])
        try AtomicFile.write(RunStore.json(runRecord), to: run.appendingPathComponent("config.json"))
    }

    func testSeedRepeats_groupIntoOneRowWithMeanAndSampleStd() throws {
        for (seed, accuracy) in [Float(80.1), 80.3, 80.5, 80.35].enumerated() { try writeRun("sweep/t00\(seed)", accuracy: accuracy, seed: seed) }
        let rows = RunReport.rows(try RunReport.collect([folder]))
        XCTAssertEqual(rows.count, 1)
        let statistics = try XCTUnwrap(rows[0].statistics["test_acc"])
        XCTAssertEqual(statistics.count, 4)
        XCTAssertEqual(statistics.mean, 80.3125, accuracy: 1e-4)
        // Sample std (n − 1): deviations −0.2125, −0.0125, 0.1875, 0.0375.
        let expected = ((0.2125 * 0.2125 + 0.0125 * 0.0125 + 0.1875 * 0.1875 + 0.0375 * 0.0375) / 3).squareRoot()
        XCTAssertEqual(statistics.standardDeviation!, expected, accuracy: 1e-4)
        XCTAssertEqual(rows[0].seeds, [0, 1, 2, 3])
        let markdown = ReportTable.markdown(rows)
        XCTAssertTrue(markdown.contains("| 2SoftMlpMNIST | MNIST_1 / MNIST_10 | 4 | 0,1,2,3 | 80.31 ±0.17 |"), markdown)
    }

    func testDifferentConfigurations_getTheirOwnRows() throws {
        for seed in 0..<2 {
            try writeRun("a/s\(seed)", accuracy: 90 + Float(seed), seed: seed)
            try writeRun("b/s\(seed)", accuracy: 70, seed: seed, overrides: ["b0.radius=3"])
            try writeRun("c/s\(seed)", accuracy: 50, seed: seed, trainingBlocks: [1])
        }
        try writeRun("d/s0", preset: "KrotovMlpMNIST", accuracy: 60, seed: 0, record: false)
        let rows = RunReport.rows(try RunReport.collect([folder]))
        XCTAssertEqual(rows.map(\.label), ["2SoftMlpMNIST", "2SoftMlpMNIST b0.radius=3", "2SoftMlpMNIST trained b1", "KrotovMlpMNIST"])
        XCTAssertEqual(rows.map(\.runs.count), [2, 2, 2, 1])
        XCTAssertEqual(ReportTable.format(rows[0].statistics["test_acc"]!, measure: "test_acc"), "90.50 ±0.71")
        XCTAssertEqual(ReportTable.format(rows[3].statistics["test_acc"]!, measure: "test_acc"), "60.00", "a single run has no ±")
        let csv = ReportTable.csv(rows).split(separator: "\n")
        XCTAssertEqual(csv.count, 5)
        XCTAssertTrue(csv[0].hasPrefix("configuration,dataset_unsup,dataset_sup,mode,n,seeds,test_acc_mean,test_acc_std,test_acc_n"), String(csv[0]))
        XCTAssertTrue(csv[1].hasPrefix("2SoftMlpMNIST,MNIST_1,MNIST_10,successive,2,0 1,90.5,0.7071067812,2"), String(csv[1]))
    }

    func testSameFolderTwice_countsEachRunOnce() throws {
        try writeRun("x/s0", accuracy: 80, seed: 0)
        try writeRun("x/s1", accuracy: 82, seed: 1)
        let runs = try RunReport.collect([folder, folder.appendingPathComponent("x")])
        XCTAssertEqual(runs.count, 2)
    }

    func testFolderWithoutRuns_isAnErrorNamingIt() throws {
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try RunReport.collect([empty])) { error in
            XCTAssertEqual(error as? ReportError, .noRuns(empty.path))
            XCTAssertTrue("\(error)".contains("no summary.json"), "\(error)")
        }
        let missing = folder.appendingPathComponent("nope")
        XCTAssertThrowsError(try RunReport.collect([missing])) { XCTAssertEqual($0 as? ReportError, .missingFolder(missing.path)) }
    }

    func testCorruptFiles_areErrorsNamingTheFile() throws {
        try writeRun("good/s0", accuracy: 80, seed: 0)
        let bad = folder.appendingPathComponent("bad/s0/summary.json")
        try FileManager.default.createDirectory(at: bad.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(#"{"test_accuracy": "#.utf8).write(to: bad)
        XCTAssertThrowsError(try RunReport.collect([folder])) { error in
            XCTAssertEqual(error as? ReportError, .badFile(path: bad.path, reason: "it is not a hebb run summary"))
        }
        try FileManager.default.removeItem(at: bad.deletingLastPathComponent())
        let metrics = folder.appendingPathComponent("good/s0/metrics.jsonl")
        try Data("{\"nope\": 1}\n".utf8).write(to: metrics)
        XCTAssertThrowsError(try RunReport.collect([folder])) { error in
            XCTAssertTrue("\(error)".contains("\(metrics.path): line 1 is not an epoch record"), "\(error)")
        }
    }
}
