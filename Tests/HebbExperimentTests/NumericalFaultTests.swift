import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// NaN or infinity in the weights or the loss stops the run, names block, epoch and step, and
/// leaves the last good checkpoint as it was.
final class NumericalFaultTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    private func request(_ root: URL, preset: String) -> TrainingRequest {
        var request = fixture.request(root)
        request.preset = preset
        request.modelName = "diverging"
        return request
    }

    private func nonFinite(_ request: TrainingRequest, file: StaticString = #filePath, line: UInt = #line) -> TrainingError? {
        var caught: TrainingError?
        XCTAssertThrowsError(try fixture.train(request), file: file, line: line) { caught = $0 as? TrainingError }
        XCTAssertNotNil(caught, "expected TrainingError.nonFinite", file: file, line: line)
        return caught
    }

    func testAbsurdAdamRate_stopsAfterTheStepAndKeepsPhaseZeroCheckpoint() throws {
        let root = try fixture.root("adam")
        // A step of 3e38 on top of the initial weights overflows Float in the first Adam step.
        // (ls1e30 does not: the weights reach ~1e31 and the loss stays finite, if useless.)
        let error = nonFinite(request(root, preset: "soft-c16-t1-lr0.05+BP-c10-ls3e38:bn"))
        XCTAssertEqual(error, .nonFinite(what: "the weights after the Adam step", block: 1, epoch: 1, step: 1))
        XCTAssertEqual(
            error?.description,
            "the weights after the Adam step became NaN or infinite in block b1 at epoch 1, step 1 "
                + "(lower the learning rate; the last good checkpoint is kept)")
        let store = fixture.store(root, name: "diverging")
        let loaded = try XCTUnwrap(store.loadNetwork())
        XCTAssertEqual(loaded.record.completedPhases, 1, "phase 0's checkpoint is kept")
        XCTAssertTrue(loaded.tensors.values.allSatisfy(\.isFinite))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.summaryFile.path))
    }

    func testAbsurdHebbianRate_stopsInBlockZeroBeforeAnyCheckpoint() throws {
        let root = try fixture.root("hebbian")
        let error = nonFinite(request(root, preset: "soft-c16-t1-lr1e30+BP-c10-ls0.05:bn"))
        XCTAssertEqual(error, .nonFinite(what: "the weights after the Hebbian update", block: 0, epoch: 1, step: 1))
        XCTAssertNil(try fixture.store(root, name: "diverging").loadNetwork(), "no checkpoint with NaN weights")
    }

    func testHugeInitialRadius_stopsAtTheHebbianUpdate() throws {
        let root = try fixture.root("radius")
        let error = nonFinite(request(root, preset: "soft-c16-t1-lr0.05-r1e30+BP-c10-ls0.05:bn"))
        XCTAssertEqual(error, .nonFinite(what: "the Hebbian update", block: 0, epoch: 1, step: 1))
    }

    /// The checkpoint on disk when the run diverges is byte for byte the last good one.
    func testDivergence_leavesTheLastCheckpointByteForByte() throws {
        let root = try fixture.root("later")
        var run = request(root, preset: "soft-c16-t1-lr0.05+BP-c10-ls3e38:bn")
        run.unsupervisedDataset = "MNIST_5"
        let store = fixture.store(root, name: "diverging")
        var lastGood = Data()
        XCTAssertThrowsError(
            try Experiment.train(run, log: { _ in }, interrupt: { _ in
                lastGood = (try? Data(contentsOf: store.modelFile)) ?? Data()
                return false
            })
        ) { XCTAssertTrue($0 is TrainingError, "\($0)") }
        XCTAssertFalse(lastGood.isEmpty)
        XCTAssertEqual(try Data(contentsOf: store.modelFile), lastGood)
        XCTAssertEqual(try store.loadNetwork()?.record.completedPhases, 1)
    }

    func testRequireFinite_namesTheTensorAndItsBlock() throws {
        let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(ExperimentFixture.layers), data: shape)
        var rng = SeededGenerator(seed: 1)
        var model = ModelBuilder.build(resolved, using: &rng)
        XCTAssertNoThrow(try Experiment.requireFinite(model, epoch: 1, step: 1))
        var tensors = model.namedTensors()
        tensors["blocks.1.inputNorm.runningMean"]?.scalars[0] = .nan
        XCTAssertEqual(model.load(tensors, blockIndices: [1]), [])
        XCTAssertThrowsError(try Experiment.requireFinite(model, epoch: 3, step: 7)) { error in
            XCTAssertEqual(error as? TrainingError, .nonFinite(what: "tensor 'blocks.1.inputNorm.runningMean'", block: 1, epoch: 3, step: 7))
        }
    }
}
