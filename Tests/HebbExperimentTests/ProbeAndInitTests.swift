import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// pytorch-hebbian's controls (issue 6 item 4): the linear probe evaluator, frozen blocks and
/// weights loaded from another run.
final class ProbeAndInitTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    private func probeRequest(_ root: URL) -> Probe.Request {
        var request = Probe.Request(modelName: ExperimentFixture.layers, dataRoot: root.path)
        request.datasetsDirectory = fixture.datasets.path
        request.settings.epochs = 40
        request.settings.stoppingPatience = 4
        request.settings.plateauPatience = 1
        request.settings.learningRate = 0.05
        return request
    }

    func testProbe_trainsAFreshHeadKeepsTheBestAndLeavesTheRunAlone() throws {
        let root = try fixture.root("probe")
        _ = try fixture.train(fixture.request(root))
        let before = try fixture.modelBytes(root)
        var lines: [String] = []
        let result = try Probe.run(probeRequest(root)) { lines.append($0) }
        XCTAssertGreaterThan(result.bestAccuracy, ExperimentFixture.accuracyThreshold)
        XCTAssertEqual(result.bestAccuracy, result.history.map(\.testAccuracy).max())
        XCTAssertEqual(result.history[result.bestEpoch - 1].testAccuracy, result.bestAccuracy)
        XCTAssertEqual(result.epochsRun, result.history.count)
        XCTAssertTrue(result.stoppedEarly || result.epochsRun == 40)
        // The rate halves on plateaus and never grows.
        let rates = result.history.map(\.learningRate)
        XCTAssertEqual(rates.first, 0.05)
        XCTAssertTrue(zip(rates, rates.dropFirst()).allSatisfy { $1 == $0 || $1 == $0 * 0.5 }, "\(rates)")
        XCTAssertEqual(try fixture.modelBytes(root), before, "the run's checkpoint is not touched")
        let folder = fixture.store(root).networkFolder
        let saved = try JSONDecoder().decode(LinearProbe.Result.self, from: Data(contentsOf: folder.appendingPathComponent("probe.json")))
        XCTAssertEqual(saved, result)
        let best = try SafeTensorsArchive.load(from: folder.appendingPathComponent("probe.safetensors")).tensors
        XCTAssertEqual(best["blocks.0.layer.weight"], try fixture.tensors(root)["blocks.0.layer.weight"], "frozen features")
        XCTAssertNotEqual(best["blocks.1.layer.weight"], try fixture.tensors(root)["blocks.1.layer.weight"], "a new head")
        XCTAssertTrue(lines.contains { $0.hasPrefix("probe epoch 1 ") }, "\(lines)")
    }

    func testProbe_missingRun_namesThePath() throws {
        let root = try fixture.root("none")
        XCTAssertThrowsError(try Probe.run(probeRequest(root)) { _ in }) { error in
            guard case CheckpointError.missingRun(let path) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("model.safetensors"))
        }
    }

    func testFreezeBlocks_keepsTheFrozenBlockAtItsInitialWeights() throws {
        let root = try fixture.root("frozen")
        var request = fixture.request(root)
        request.frozenBlocks = [0]
        let summary = try fixture.train(request).summary
        XCTAssertEqual(summary.phasesRun, 1)
        let initial = try fixture.initialTensors(), after = try fixture.tensors(root)
        XCTAssertEqual(after["blocks.0.layer.weight"], initial["blocks.0.layer.weight"])
        XCTAssertNotEqual(after["blocks.1.layer.weight"], initial["blocks.1.layer.weight"])
        request.frozenBlocks = [7]
        XCTAssertThrowsError(try fixture.train(request)) { XCTAssertTrue("\($0)".contains("--freeze-blocks"), "\($0)") }
    }

    func testInitFrom_loadsAnotherRunsBlocksBeforeTraining() throws {
        let root = try fixture.root("init")
        _ = try fixture.train(fixture.request(root))
        var request = fixture.request(root)
        request.modelName = "classifier-on-loaded-features"
        request.initialWeights = InitialWeights(source: ExperimentFixture.layers, blocks: nil)
        request.trainingBlocks = [1]
        let (summary, log) = try fixture.train(request)
        XCTAssertTrue(log.contains("loaded blocks [0] from \(ExperimentFixture.layers)"), "\(log)")
        // Same seed, same loaded features: the classifier trains exactly as in the source run.
        let source = try fixture.tensors(root)
        let loaded = try SafeTensorsArchive.load(from: fixture.store(root, name: "classifier-on-loaded-features").modelFile).tensors
        XCTAssertEqual(loaded, source)
        XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold)
        // A block whose weights came from elsewhere gets its own lineage key.
        let record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: fixture.store(root, name: "classifier-on-loaded-features").configFile))
        XCTAssertNotEqual(record.blockKeys[0], try fixture.record(root).blockKeys[0])
    }

    func testInitFrom_shapeMismatchOrMissingSource_isAClearError() throws {
        let root = try fixture.root("mismatch")
        _ = try fixture.train(fixture.request(root))
        var request = fixture.request(root)
        (request.preset, request.modelName) = ("soft-c20-t1-lr0.05+BP-c10-ls0.05:bn", "wider")
        request.initialWeights = InitialWeights(source: ExperimentFixture.layers, blocks: [0])
        XCTAssertThrowsError(try fixture.train(request)) { error in
            XCTAssertTrue("\(error)".contains("do not fit this model"), "\(error)")
        }
        request.initialWeights = InitialWeights(source: "no-such-run", blocks: nil)
        XCTAssertThrowsError(try fixture.train(request)) { error in
            guard case CheckpointError.missingRun = error else { return XCTFail("\(error)") }
        }
    }
}
