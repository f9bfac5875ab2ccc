import Foundation
import HebbData
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// The device classifier phase (`--device cuda`'s code path for the final linear classifier) run
/// on the CPU backend matches the host code: weights, bias, Adam moments, the generator and every
/// logged number.
final class DeviceClassifierTests: XCTestCase {
    func testClassifierPhaseOnCPUBackendMatchesHostCode() throws {
        // 200 × 48: full words of mask per batch; 201 × 47: the last batch has an odd element count.
        for (samples, features) in [(200, 48), (201, 47)] {
            var problem = DeviceParity.ClassifierProblem.softHebb(samples: samples, features: features, epochs: 3, batchSize: 32)
            problem.maskChunkBatches = 2  // four mask chunks per epoch
            let result = try DeviceParity.compare(problem, backend: CPUBackend())
            XCTAssertLessThanOrEqual(result.relativeError, 1e-6, "\(samples) × \(features)")
            XCTAssertEqual(result.deviceLog, result.hostLog, "\(samples) × \(features)")
            XCTAssertEqual(result.hostLog.count, 3)
            XCTAssertLessThan(result.hostLog[2].trainLoss, result.hostLog[0].trainLoss, "the classifier learns")
        }
    }

    /// A seeded trainer of `layers` for the fixture's MNIST_1 images (both phase kinds), its phases
    /// in `mode` and the data.
    private func trainer(_ fixture: ExperimentFixture, layers: String, mode: TrainingMode) throws -> (Trainer, [Phase], DatasetSplits) {
        let config = try DatasetCatalog.resolve(key: "MNIST_1")
        let data = try DatasetSplits.load(config: config, locator: DatasetLocator(roots: [fixture.datasets.path]), validation: false)
        let resolved = try ModelBuilder.resolve(
            PresetLibrary.builtin().resolve(layers), data: DataShape(channels: 1, height: 28, width: 28, classCount: 10))
        var rng = SeededGenerator(seed: 3)
        var trainer = Trainer(model: ModelBuilder.build(resolved, using: &rng), resolved: resolved)
        trainer.evaluatesOnPrintEpochs = false
        return (trainer, try Phase.plan(model: resolved, mode: mode, trainingBlocks: nil, unsupervised: config, supervised: config), data)
    }

    /// A Hebbian block trained on the host, then the supervised phase of its classifier (dropout 0.5)
    /// with backend nil and with the CPU backend; returns each run's model, records, checkpoints and notes.
    private func classifierRuns(
        _ fixture: ExperimentFixture, stopAfterFirstCheckpoint: Bool = false
    ) throws -> (phase: Phase, data: DatasetSplits, start: Trainer, runs: [ClassifierRun]) {
        let (host, phases, data) = try trainer(fixture, layers: "softkrotov-c16-t1-lr0.05+BP-c10", mode: .successive)
        var start = host
        try start.run(phase: phases[0], index: 0, data: data) { _ in }
        start.model.blocks[1].dropout = Dropout(probability: 0.5)
        start.evaluatesOnPrintEpochs = true
        start.recordsBatchLosses = true
        var phase = phases[1]
        (phase.epochs, phase.batchSize, phase.learningRate) = (3, 32, 0.01)
        var runs: [ClassifierRun] = []
        for backend in [nil, CPUBackend() as (any Backend)?] {
            var trainer = start
            trainer.backend = backend
            var run = ClassifierRun()
            do {
                try trainer.run(phase: phase, index: 1, data: data) { event in
                    try run.record(event)
                    if stopAfterFirstCheckpoint, case .epochCheckpoint = event { throw Stop() }
                }
            } catch is Stop {}
            run.model = trainer.model
            runs.append(run)
        }
        return (phase, data, start, runs)
    }

    private struct Stop: Error {}

    struct ClassifierRun {
        var model: Model?
        var records: [EpochRecord] = []
        var checkpoints: [(PhaseProgress, Adam)] = []
        var notes: [String] = []

        mutating func record(_ event: TrainingEvent) throws {
            switch event {
            case .note(let line): notes.append(line)
            case .epochEnded(var record):
                record.seconds = 0
                records.append(record)
            case .epochCheckpoint(_, let progress, _, let optimizer): checkpoints.append((progress, optimizer))
            default: break
            }
        }
    }

    func testTrainerWithBackendTrainsTheClassifierOnTheDeviceWithTheHostNumbers() throws {
        let fixture = try ExperimentFixture()
        defer { fixture.remove() }
        let (_, _, start, runs) = try classifierRuns(fixture)
        let (host, device) = (runs[0], runs[1])
        guard case .linear(let initial) = start.model.blocks[1].layer, case .linear(let hostLayer) = host.model?.blocks[1].layer,
            case .linear(let deviceLayer) = device.model?.blocks[1].layer
        else { return XCTFail("the classifier is linear") }
        XCTAssertNotEqual(hostLayer.weight, initial.weight, "the classifier trained")
        assertClose(deviceLayer.weight, hostLayer.weight, atol: 1e-7, rtol: 1e-6)
        assertClose(deviceLayer.bias, hostLayer.bias, atol: 1e-7, rtol: 1e-6)
        XCTAssertEqual(device.records, host.records)
        XCTAssertEqual(host.records.count, 3)
        XCTAssertNotNil(host.records.first?.testAccuracy)
        XCTAssertEqual(host.records.first?.batchLosses?.count, (200 + 31) / 32)
        XCTAssertEqual(device.checkpoints.map { $0.0 }, host.checkpoints.map { $0.0 }, "same generator after each epoch")
        XCTAssertEqual(device.checkpoints.map { $0.1.state }, host.checkpoints.map { $0.1.state }, "same Adam moments and steps")
        XCTAssertEqual(host.notes, [])
        XCTAssertEqual(device.notes, [
            "Phase 1: block 1 (linear classifier) trains on cpu; features, weights, Adam moments and batches stay on the device,"
                + " dropout masks are drawn on the host, evaluation runs on the device; the frozen block 0 runs forward there too"
                + " (evaluation mode, chunks of 1000 images)"
        ])
    }

    func testResumedDeviceClassifierPhaseContinuesWithTheHostNumbers() throws {
        let fixture = try ExperimentFixture()
        defer { fixture.remove() }
        let full = try classifierRuns(fixture).runs[0]
        let (phase, data, start, stopped) = try classifierRuns(fixture, stopAfterFirstCheckpoint: true)
        let (progress, optimizer) = try XCTUnwrap(stopped[1].checkpoints.first)
        var trainer = start
        trainer.model = try XCTUnwrap(stopped[1].model)
        trainer.backend = CPUBackend()
        var resumed = ClassifierRun()
        try trainer.run(phase: phase, index: 1, data: data, resumingFrom: progress, optimizer: optimizer) { try resumed.record($0) }
        XCTAssertEqual(stopped[1].records + resumed.records, full.records)
        XCTAssertEqual(resumed.checkpoints.last?.1.state, full.checkpoints.last?.1.state)
        guard case .linear(let resumedLayer) = trainer.model.blocks[1].layer, case .linear(let fullLayer) = full.model?.blocks[1].layer else {
            return XCTFail("the classifier is linear")
        }
        assertClose(resumedLayer.weight, fullLayer.weight, atol: 1e-7, rtol: 1e-6)
    }

    func testSoftHebbClassifierPhasesQualifyAndOthersDoNot() throws {
        let library = try PresetLibrary.builtin()
        let cifar = DataShape(channels: 3, height: 32, width: 32, classCount: 10)
        let mnist = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        let data = try DatasetCatalog.resolve(key: "CIFAR10_50")
        for (name, shape, mode, expected) in [
            ("2SoftHebbCnnCIFAR", cifar, TrainingMode.successive, [nil, 1]), ("4SoftHebbCnnCIFAR", cifar, .successive, [nil, nil, nil, 3]),
            ("2SoftMlpMNIST", mnist, .successive, [nil, 1]), ("4SoftHebbCnnCIFAR", cifar, .consecutive, [nil, 3]),
            ("4SoftHebbCnnCIFAR", cifar, .simultaneous, [nil]),
        ] as [(String, DataShape, TrainingMode, [Int?])] {
            let resolved = try ModelBuilder.resolve(library.resolve(name), data: shape)
            let phases = try Phase.plan(model: resolved, mode: mode, trainingBlocks: nil, unsupervised: data, supervised: data)
            var rng = SeededGenerator(seed: 1)
            let trainer = Trainer(model: ModelBuilder.build(resolved, using: &rng), resolved: resolved)
            XCTAssertEqual(phases.map { trainer.deviceClassifierBlock(phase: $0) }, expected, "\(name) \(mode)")
        }
    }

    func testPhaseThatIsNotOnlyTheClassifierSaysItRunsOnTheCPU() throws {
        let fixture = try ExperimentFixture()
        defer { fixture.remove() }
        // Consecutive mode on two BP blocks: one supervised phase of blocks 0 and 1, end to end.
        let (host, phases, data) = try trainer(fixture, layers: "BP-c8+BP-c10", mode: .consecutive)
        var trainer = host
        trainer.backend = CPUBackend()
        var notes: [String] = []
        try trainer.run(phase: phases[0], index: 0, data: data) { if case .note(let line) = $0 { notes.append(line) } }
        XCTAssertEqual(notes, [
            "Phase 0: runs on the CPU, not cpu: supervised phases run on the host unless they train only the final linear classifier"
                + " (dropout → linear, cross-entropy) on cached features of frozen blocks"
        ])
    }
}
