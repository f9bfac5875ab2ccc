import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// `--resume all` and `--resume without_classifier` on tiny synthetic IDX files.
final class ExperimentResumeTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    func testResumeAll_afterKillAfterPhaseZero_skipsItAndMatchesUninterruptedRun() throws {
        let reference = try fixture.root("reference")
        let uninterrupted = try fixture.train(fixture.request(reference)).summary
        let referenceRecord = try fixture.record(reference)

        // Emulate a run killed after phase 0: phase 0's checkpoint next to the full plan's record.
        let killed = try fixture.root("killed")
        var phaseZero = fixture.request(killed)
        phaseZero.trainingBlocks = [0]
        _ = try fixture.train(phaseZero)
        var record = referenceRecord
        record.completedPhases = 1
        try RunStore.json(record).write(to: fixture.store(killed).configFile)

        var resume = fixture.request(killed)
        resume.resume = .all
        let (summary, log) = try fixture.train(resume)
        XCTAssertTrue(log.contains { $0.hasPrefix("resumed all from ") }, "\(log)")
        XCTAssertTrue(log.contains("Phase 0: unsupervised blocks [0] already finished; skipped"), "\(log)")
        XCTAssertFalse(log.contains { $0.hasPrefix("Phase 0: unsupervised learning") }, "\(log)")
        XCTAssertEqual(summary.phasesSkipped, 1)
        XCTAssertEqual(summary.phasesRun, 1)
        XCTAssertEqual(summary.testAccuracy, uninterrupted.testAccuracy, "training is deterministic")
        XCTAssertEqual(summary.testLoss, uninterrupted.testLoss)
        XCTAssertEqual(try fixture.modelBytes(killed), try fixture.modelBytes(reference))
        XCTAssertEqual(try fixture.record(killed).completedPhases, 2)
        XCTAssertEqual(try fixture.metrics(killed).count, 11, "the resumed run appends to metrics.jsonl")

        // Resuming a finished run skips everything and reports the same accuracy.
        let again = try fixture.train(resume).summary
        XCTAssertEqual(again.phasesSkipped, 2)
        XCTAssertEqual(again.phasesRun, 0)
        XCTAssertEqual(again.testAccuracy, uninterrupted.testAccuracy)
    }

    func testResumeAll_phaseZeroOnlyCheckpoint_skipsMatchingPrefix() throws {
        // A run of only block 0 recorded the plan [phase 0]; the full plan starts with the same phase.
        let root = try fixture.root("prefix")
        var phaseZero = fixture.request(root)
        phaseZero.trainingBlocks = [0]
        _ = try fixture.train(phaseZero)
        var resume = fixture.request(root)
        resume.resume = .all
        let summary = try fixture.train(resume).summary
        XCTAssertEqual(summary.phasesSkipped, 1)
        XCTAssertEqual(try fixture.record(root).phases.count, 2)
    }

    func testResumeWithoutClassifier_rerunsClassifierAndKeepsBlockZero() throws {
        let root = try fixture.root("run")
        _ = try fixture.train(fixture.request(root))
        let before = try fixture.tensors(root)
        var resume = fixture.request(root)
        resume.resume = .withoutClassifier
        let (summary, log) = try fixture.train(resume)
        XCTAssertTrue(log.contains { $0.hasPrefix("resumed without_classifier from ") }, "\(log)")
        XCTAssertTrue(log.contains("Phase 0: unsupervised blocks [0] already finished; skipped"), "\(log)")
        XCTAssertTrue(log.contains { $0.hasPrefix("Phase 1: supervised learning of blocks [1]") }, "\(log)")
        XCTAssertEqual(summary.phasesSkipped, 1)
        XCTAssertEqual(summary.phasesRun, 1)
        XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold)
        XCTAssertEqual(try fixture.tensors(root)["blocks.0.layer.weight"], before["blocks.0.layer.weight"])
        XCTAssertEqual(try fixture.metrics(root).count, 21, "11 lines of the first run + 10 of the classifier")
    }

    func testResumeWithoutClassifier_newClassifierSettings_areUsed() throws {
        let root = try fixture.root("newclassifier")
        _ = try fixture.train(fixture.request(root))
        var resume = fixture.request(root)
        resume.preset = "soft-c16-t1-lr0.05+BP-c10-ls0.02:bn:dropout0.1"
        resume.modelName = ExperimentFixture.layers
        resume.resume = .withoutClassifier
        _ = try fixture.train(resume)
        let record = try fixture.record(root)
        XCTAssertEqual(record.model.blocks[1].config.layer.supervisedLearningRate, 0.02)
        XCTAssertEqual(record.model.blocks[1].config.dropout, 0.1)
        XCTAssertEqual(record.phases[1].learningRate, 0.02)
    }

    /// Resuming feature blocks of another width: the saved blocks win and the current classifier
    /// is re-resolved to their output width (this used to crash in Tensor.matmul).
    func testResumeWithoutClassifier_otherFeatureWidth_resizesTheClassifier() throws {
        let root = try fixture.root("width")
        _ = try fixture.train(fixture.request(root))
        var resume = fixture.request(root)
        resume.preset = "soft-c8-t1-lr0.05+BP-c10-ls0.05:bn"
        resume.modelName = ExperimentFixture.layers
        resume.resume = .withoutClassifier
        XCTAssertNoThrow(try fixture.train(resume))
        let saved = try SafeTensorsArchive.load(from: fixture.store(root).modelFile)
        XCTAssertEqual(saved.tensors["blocks.0.layer.weight"]?.shape, [16, 784])
        XCTAssertEqual(saved.tensors["blocks.1.layer.weight"]?.shape, [10, 16])
    }

    /// A record claiming more finished phases than it lists skips only the listed ones. Was a
    /// crash: `completedPrefix` bounded its loop by `saved.completedPhases` but not by
    /// `saved.phases.count` (index out of range); fixed with a one-line bound.
    func testResumeAll_recordWithTooFewPhases_skipsOnlyListedPhases() throws {
        let root = try fixture.root("toofew")
        var phaseZero = fixture.request(root)
        phaseZero.trainingBlocks = [0]
        _ = try fixture.train(phaseZero)
        var record = try fixture.record(root)
        record.completedPhases = 2
        try RunStore.json(record).write(to: fixture.store(root).configFile)
        var resume = fixture.request(root)
        resume.resume = .all
        let summary = try fixture.train(resume).summary
        XCTAssertEqual(summary.phasesSkipped, 1)
        XCTAssertEqual(summary.phasesRun, 1)
    }

    func testResume_withoutCheckpoint_startsFresh() throws {
        let root = try fixture.root("empty")
        var request = fixture.request(root)
        request.resume = .all
        request.trainingBlocks = [0]
        let (summary, log) = try fixture.train(request)
        XCTAssertTrue(log.contains { $0.hasPrefix("no checkpoint at ") && $0.hasSuffix("starting fresh") }, "\(log)")
        XCTAssertEqual(summary.phasesSkipped, 0)
    }

    func testResume_corruptRecord_throwsCheckpointErrorNamingConfig() throws {
        let root = try fixture.root("corrupt")
        var phaseZero = fixture.request(root)
        phaseZero.trainingBlocks = [0]
        _ = try fixture.train(phaseZero)
        let config = fixture.store(root).configFile
        try Data("{\"version\": 1}".utf8).write(to: config)
        var resume = fixture.request(root)
        resume.resume = .all
        XCTAssertThrowsError(try fixture.train(resume)) { error in
            XCTAssertTrue(error is CheckpointError, "\(error)")
            XCTAssertTrue("\(error)".contains(config.path), "\(error)")
        }
    }
}
