import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// End-to-end smoke tests of `Experiment.train` on tiny synthetic IDX files.
final class ExperimentTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    // MARK: - (a) a full run

    func testTrain_successiveTinyModel_learnsAndWritesRunFolder() throws {
        let root = try fixture.root("full")
        let (summary, log) = try fixture.train(fixture.request(root))
        XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold, "chance is 10 %")
        XCTAssertEqual(summary.phasesRun, 2)
        XCTAssertEqual(summary.phasesSkipped, 0)
        XCTAssertEqual(summary.unsupervisedEpochs, 1)
        XCTAssertEqual(summary.seed, ExperimentFixture.seed)
        XCTAssertTrue(log.contains { $0.hasPrefix("Phase 0: unsupervised learning of blocks [0] on MNIST_1") }, "\(log)")
        XCTAssertTrue(log.contains { $0.hasPrefix("Phase 1: supervised learning of blocks [1] on MNIST_10") }, "\(log)")

        let store = fixture.store(root)
        for file in ["model.safetensors", "config.json", "metrics.jsonl", "summary.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: store.networkFolder.appendingPathComponent(file).path), file)
        }
        let epochs = try fixture.metrics(root)
        XCTAssertEqual(epochs.count, 11, "1 unsupervised + 10 supervised epochs")
        XCTAssertEqual(epochs.map(\.phase), [0] + Array(repeating: 1, count: 10))
        XCTAssertEqual(epochs.map(\.epoch), [1] + Array(1...10))
        XCTAssertEqual(epochs[0].kind, .unsupervised)
        XCTAssertNotNil(epochs[0].convergence)
        XCTAssertNotNil(epochs[1].trainLoss)
        XCTAssertNotNil(epochs[10].testAccuracy, "the last epoch is a print epoch")

        let saved = try JSONDecoder().decode(TrainingSummary.self, from: Data(contentsOf: store.summaryFile))
        XCTAssertEqual(saved.testAccuracy, summary.testAccuracy)
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: store.summaryFile)) as? [String: Any]
        XCTAssertEqual((raw?["test_accuracy"] as? Double).map { Float($0) }, summary.testAccuracy)
        let record = try fixture.record(root)
        XCTAssertEqual(record.completedPhases, 2)
        XCTAssertEqual(record.phases.map(\.blocks), [[0], [1]])
        XCTAssertEqual(record.blockKeys.count, 2)
        for key in record.blockKeys {
            let folder = store.blockFolder(key)
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("block.safetensors").path), key)
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.json").path), key)
        }
        let block1 = try SafeTensorsArchive.load(from: store.blockFolder(record.blockKeys[1]).appendingPathComponent("block.safetensors"))
        XCTAssertEqual(block1.tensors["layer.weight"], try fixture.tensors(root)["blocks.1.layer.weight"])
    }

    func testTrain_phaseZeroOnly_changesHebbianWeightsButNotClassifier() throws {
        let initial = try fixture.initialTensors()
        let root = try fixture.root("phase0")
        var request = fixture.request(root)
        request.trainingBlocks = [0]
        XCTAssertEqual(try fixture.train(request).summary.phasesRun, 1)
        let after = try fixture.tensors(root)
        XCTAssertEqual(Set(after.keys), Set(initial.keys))
        XCTAssertNotEqual(after["blocks.0.layer.weight"], initial["blocks.0.layer.weight"], "Hebbian weights must learn in phase 0")
        XCTAssertEqual(after["blocks.1.layer.weight"], initial["blocks.1.layer.weight"], "BP weights must not move in phase 0")
        XCTAssertEqual(after["blocks.1.layer.bias"], initial["blocks.1.layer.bias"])
        XCTAssertEqual(after["blocks.1.inputNorm.runningMean"], initial["blocks.1.inputNorm.runningMean"])
        XCTAssertEqual(try fixture.metrics(root).count, 1)

        // The full run trains block 0 identically, then leaves it alone while the classifier learns.
        let full = try fixture.root("full")
        _ = try fixture.train(fixture.request(full))
        let final = try fixture.tensors(full)
        XCTAssertEqual(final["blocks.0.layer.weight"], after["blocks.0.layer.weight"])
        XCTAssertNotEqual(final["blocks.1.layer.weight"], initial["blocks.1.layer.weight"])
        XCTAssertNotEqual(final["blocks.1.inputNorm.runningMean"], initial["blocks.1.inputNorm.runningMean"])
    }

    func testTrain_onlyClassifier_isRandomBaselineWithBlockZeroUntouched() throws {
        let root = try fixture.root("random")
        var request = fixture.request(root)
        request.trainingBlocks = [1]
        let summary = try fixture.train(request).summary
        XCTAssertEqual(summary.phasesRun, 1)
        XCTAssertEqual(summary.unsupervisedEpochs, 0)
        XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold, "measured 98 %")
        XCTAssertEqual(try fixture.tensors(root)["blocks.0.layer.weight"], try fixture.initialTensors()["blocks.0.layer.weight"])
    }

    func testTrain_consecutiveAndSimultaneous_runTheirPlans() throws {
        let initial = try fixture.initialTensors()
        let consecutive = try fixture.root("consecutive")
        var request = fixture.request(consecutive)
        request.mode = .consecutive
        let summary = try fixture.train(request).summary
        XCTAssertEqual(summary.mode, .consecutive)
        XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold)
        XCTAssertEqual(try fixture.record(consecutive).phases.map(\.kind), [.unsupervised, .supervised])

        // Hybrid: both blocks learn in one phase on the supervised data (10 epochs). Accuracy is
        // not asserted: with this tiny setup the drifting Hebbian features defeat the classifier.
        let simultaneous = try fixture.root("simultaneous")
        request = fixture.request(simultaneous)
        request.mode = .simultaneous
        let (hybrid, log) = try fixture.train(request)
        XCTAssertEqual(hybrid.phasesRun, 1)
        XCTAssertEqual(hybrid.unsupervisedEpochs, 0)
        XCTAssertTrue(log.contains { $0.hasPrefix("Phase 0: hybrid learning of blocks [0, 1] on MNIST_10") }, "\(log)")
        let epochs = try fixture.metrics(simultaneous)
        XCTAssertEqual(epochs.count, 10)
        XCTAssertTrue(epochs.allSatisfy { $0.kind == .hybrid && $0.trainLoss != nil && $0.convergence != nil })
        let after = try fixture.tensors(simultaneous)
        XCTAssertNotEqual(after["blocks.0.layer.weight"], initial["blocks.0.layer.weight"])
        XCTAssertNotEqual(after["blocks.1.layer.weight"], initial["blocks.1.layer.weight"])
    }

    // MARK: - (b) determinism

    func testTrain_sameSeed_bitIdenticalCheckpoint_otherSeedDiffers() throws {
        let a = try fixture.root("a")
        let b = try fixture.root("b")
        let c = try fixture.root("c")
        let first = try fixture.train(fixture.request(a)).summary
        let second = try fixture.train(fixture.request(b)).summary
        _ = try fixture.train(fixture.request(c, seed: ExperimentFixture.seed + 1))
        XCTAssertEqual(try fixture.modelBytes(a), try fixture.modelBytes(b))
        XCTAssertEqual(first.testAccuracy, second.testAccuracy)
        XCTAssertEqual(first.testLoss, second.testLoss)
        XCTAssertNotEqual(try fixture.modelBytes(a), try fixture.modelBytes(c))
    }

    // MARK: - (e) save = false

    func testTrain_saveFalse_writesNothingUnderDataRoot() throws {
        let root = try fixture.root("nosave")
        var request = fixture.request(root)
        request.save = false
        let summary = try fixture.train(request).summary
        XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
    }

    // MARK: - Errors before any write

    func testTrain_badPresetOrBlocks_throwConfigErrorBeforeWriting() throws {
        let root = try fixture.root("bad")
        for preset in ["soft-c16+BP-x1", "2SoftMlpMNST", "soft-t3+BP-c10"] {
            var request = fixture.request(root)
            request.preset = preset
            XCTAssertThrowsError(try fixture.train(request), preset) { XCTAssertTrue($0 is ConfigError, "\($0)") }
        }
        var request = fixture.request(root)
        request.trainingBlocks = [5]
        XCTAssertThrowsError(try fixture.train(request)) { XCTAssertTrue($0 is ConfigError, "\($0)") }
        request = fixture.request(root)
        request.mode = .simultaneous
        request.trainingBlocks = [0]
        XCTAssertThrowsError(try fixture.train(request)) { XCTAssertTrue($0 is ConfigError, "\($0)") }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
    }
}
