import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Runs stopped right after a checkpoint (what a kill leaves behind, minus what the checkpoint
/// does not cover) and resumed with `--resume all` end bit for bit where an uninterrupted run
/// ends; the real SIGKILL version is `scripts/chaos.sh`.
final class CrashResumeTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    /// Five unsupervised epochs (MNIST_5), then the classifier (MNIST_1): epoch checkpoints exist.
    private func request(_ root: URL) -> TrainingRequest {
        var request = fixture.request(root)
        request.unsupervisedDataset = "MNIST_5"
        request.supervisedDataset = "MNIST_1"
        return request
    }

    /// Trains until `stop` returns true for a freshly written checkpoint's record.
    private func trainUntil(_ request: TrainingRequest, stop: (RunRecord) -> Bool) throws {
        XCTAssertThrowsError(try Experiment.train(request, log: { _ in }, interrupt: stop)) { error in
            XCTAssertTrue(error is Experiment.Interrupted, "\(error)")
        }
    }

    /// Metrics without their wall times, which differ between runs.
    private func timeless(_ root: URL) throws -> [EpochRecord] {
        try fixture.metrics(root).map {
            var record = $0
            record.seconds = 0
            return record
        }
    }

    /// metrics.csv rows without their last cell (wall time).
    private func timelessCSV(_ root: URL) throws -> [String] {
        let text = try String(contentsOf: MetricsFiles.csvFile(in: fixture.store(root).networkFolder), encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
    }

    func testResumeAll_afterEpochCheckpoint_continuesMidPhaseAndMatchesUninterruptedRun() throws {
        let reference = try fixture.root("reference")
        let uninterrupted = try fixture.train(request(reference)).summary

        let killed = try fixture.root("killed")
        try trainUntil(request(killed)) { $0.progress?.epochsCompleted == 2 }
        let store = fixture.store(killed)
        let record = try fixture.record(killed)
        XCTAssertEqual(record.completedPhases, 0)
        XCTAssertEqual(record.progress?.phase, 0)
        XCTAssertEqual(record.metricsLines, 2)
        // What a kill later in epoch 3 can leave: epoch 3's metrics line without its checkpoint,
        // and the temporary file of a write that never got renamed (its process is gone).
        try AtomicFile.appendLine(#"{"phase":0,"epoch":3}"#, to: store.metricsFile)
        try AtomicFile.appendLine("0,unsupervised,0,3,5", to: MetricsFiles.csvFile(in: store.networkFolder))
        let stale = store.networkFolder.appendingPathComponent(".model.safetensors.tmp-2147483646-beef")
        try Data("half a checkpoint".utf8).write(to: stale)

        var resume = request(killed)
        resume.resume = .all
        let (summary, log) = try fixture.train(resume)
        XCTAssertTrue(log.contains("Phase 0: unsupervised blocks [0] continue after epoch 2 of 5"), "\(log)")
        XCTAssertFalse(log.contains { $0.hasPrefix("Epoch: [2/5]") }, "epochs 1–2 are not redone: \(log)")
        XCTAssertTrue(log.contains { $0.hasPrefix("Epoch: [3/5]") }, "\(log)")
        XCTAssertEqual(summary.testAccuracy, uninterrupted.testAccuracy)
        XCTAssertEqual(summary.testLoss, uninterrupted.testLoss)
        XCTAssertEqual(try fixture.modelBytes(killed), try fixture.modelBytes(reference), "bit-identical weights")
        XCTAssertEqual(try timeless(killed), try timeless(reference), "the orphan line of epoch 3 was cut")
        XCTAssertEqual(try timelessCSV(killed), try timelessCSV(reference), "metrics.csv follows metrics.jsonl")
        XCTAssertEqual(try timelessCSV(killed).count, 1 + 5 + 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path), "stale temporary file removed")
        XCTAssertNil(try fixture.record(killed).progress)
    }

    func testResumeAll_killedInSupervisedPhase_redoesThatPhaseAndMatches() throws {
        let reference = try fixture.root("reference")
        let uninterrupted = try fixture.train(request(reference)).summary
        let killed = try fixture.root("killed")
        // The phase-0 checkpoint is the last one before the supervised phase; a kill anywhere in
        // that phase leaves exactly this (plus metrics lines, which are cut on resume).
        try trainUntil(request(killed)) { $0.completedPhases == 1 && $0.progress == nil }
        try AtomicFile.appendLine(#"{"phase":1,"epoch":1}"#, to: fixture.store(killed).metricsFile)
        var resume = request(killed)
        resume.resume = .all
        let (summary, log) = try fixture.train(resume)
        XCTAssertTrue(log.contains("Phase 0: unsupervised blocks [0] already finished; skipped"), "\(log)")
        XCTAssertEqual(summary.phasesSkipped, 1)
        XCTAssertEqual(summary.testAccuracy, uninterrupted.testAccuracy)
        XCTAssertEqual(try fixture.modelBytes(killed), try fixture.modelBytes(reference))
        XCTAssertEqual(try timeless(killed), try timeless(reference))
    }

    /// A kill inside a supervised phase loses at most its current epoch: the checkpoint carries
    /// Adam's moments, so the run continues mid-phase and still ends bit for bit as the reference.
    func testResumeAll_killedMidSupervisedPhase_continuesWithAdamStateAndMatches() throws {
        var base = request(try fixture.root("unused"))
        base.supervisedDataset = "MNIST_5"
        let reference = try fixture.root("reference")
        var referenceRequest = base
        referenceRequest.dataRoot = reference.path
        let uninterrupted = try fixture.train(referenceRequest).summary
        let killed = try fixture.root("killed")
        var killedRequest = base
        killedRequest.dataRoot = killed.path
        try trainUntil(killedRequest) { $0.completedPhases == 1 && $0.progress?.epochsCompleted == 2 }
        let archive = try SafeTensorsArchive.load(from: fixture.store(killed).modelFile)
        XCTAssertNotNil(archive.tensors[RunStore.optimizerPrefix + "blocks.1.layer.weight.m"], "Adam's moments are checkpointed")
        killedRequest.resume = .all
        let (summary, log) = try fixture.train(killedRequest)
        XCTAssertTrue(log.contains("Phase 1: supervised blocks [1] continue after epoch 2 of 5"), "\(log)")
        XCTAssertFalse(log.contains { $0.hasPrefix("Epoch: [2/5]") }, "\(log)")
        XCTAssertEqual(summary.testAccuracy, uninterrupted.testAccuracy)
        XCTAssertEqual(try fixture.modelBytes(killed), try fixture.modelBytes(reference), "bit-identical weights")
    }

    func testResumeWithoutClassifier_afterEpochCheckpoint_continuesTheFeaturePhase() throws {
        let reference = try fixture.root("reference")
        _ = try fixture.train(request(reference))
        let killed = try fixture.root("killed")
        try trainUntil(request(killed)) { $0.progress?.epochsCompleted == 4 }
        var resume = request(killed)
        resume.resume = .withoutClassifier
        let log = try fixture.train(resume).log
        XCTAssertTrue(log.contains("Phase 0: unsupervised blocks [0] continue after epoch 4 of 5"), "\(log)")
        // The feature block ends as in the uninterrupted run; the classifier is a new one.
        XCTAssertEqual(
            try fixture.tensors(killed)["blocks.0.layer.weight"], try fixture.tensors(reference)["blocks.0.layer.weight"])
    }

    func testEpochCheckpoint_recordIsEmbeddedAndStaleConfigIsSuperseded() throws {
        let root = try fixture.root("embedded")
        try trainUntil(request(root)) { $0.progress?.epochsCompleted == 1 }
        let store = fixture.store(root)
        let archive = try SafeTensorsArchive.load(from: store.modelFile)
        let embedded = try JSONDecoder().decode(RunRecord.self, from: Data(XCTUnwrap(archive.metadata["record"]).utf8))
        XCTAssertEqual(embedded, try fixture.record(root))
        // A kill between the two renames leaves an older, valid config.json next to the new weights.
        var stale = embedded
        stale.progress = nil
        try RunStore.json(stale).write(to: store.configFile)
        XCTAssertEqual(try store.loadNetwork()?.record, embedded)
    }

    func testPhaseProgress_generatorRoundTrip_continuesTheSameStream() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<17 { _ = generator.next() }
        let progress = PhaseProgress(phase: 0, epochsCompleted: 1, generator: generator, hebbianUpdates: [3])
        XCTAssertTrue(PhaseProgress.isPlainState)
        let decoded = try JSONDecoder().decode(PhaseProgress.self, from: JSONEncoder().encode(progress))
        var restored = try XCTUnwrap(decoded.generator)
        XCTAssertEqual((0..<100).map { _ in restored.next() }, (0..<100).map { _ in generator.next() })
    }

    func testPhaseProgress_badState_isUnusable() {
        var progress = PhaseProgress(phase: 0, epochsCompleted: 1, generator: SeededGenerator(seed: 1), hebbianUpdates: [])
        progress.randomState = [0, 0, 0, 0]
        XCTAssertNil(progress.generator)
        progress.randomState = [1, 2, 3]
        XCTAssertNil(progress.generator)
    }

    func testResumeAll_progressOfAnotherSeed_restartsThePhaseWithANote() throws {
        let root = try fixture.root("seed")
        try trainUntil(request(root)) { $0.progress?.epochsCompleted == 2 }
        var resume = request(root)
        resume.resume = .all
        resume.seed = ExperimentFixture.seed + 1
        let log = try fixture.train(resume).log
        XCTAssertTrue(log.contains { $0.hasPrefix("note: the checkpoint stopped in phase 0 after epoch 2") }, "\(log)")
        XCTAssertTrue(log.contains { $0.hasPrefix("Epoch: [1/5]") }, "\(log)")
    }
}
