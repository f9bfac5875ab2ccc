import Foundation
import HebbData
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// The device epoch (`--device cuda`'s code path) run on the CPU backend matches the host code.
final class DeviceEpochTests: XCTestCase {
    func testDeviceEpochOnCPUBackendMatchesHostCodeForSoftHebbAndKrotov() throws {
        // 130 samples in batches of 32: the last batch is partial.
        let soft = try DeviceParity.compare(.softHebb(units: 24, fanIn: 30, samples: 130, batchSize: 32), backend: CPUBackend())
        XCTAssertLessThanOrEqual(soft.relativeError, 1e-6)
        let krotov = try DeviceParity.compare(.krotov(units: 24, fanIn: 30, samples: 130, batchSize: 32), backend: CPUBackend())
        XCTAssertLessThanOrEqual(krotov.relativeError, 1e-5)
    }

    func testTrainerWithBackendTrainsTheSameFullyConnectedBlockAndSaysWhereItRuns() throws {
        let fixture = try ExperimentFixture()
        defer { fixture.remove() }
        let locator = DatasetLocator(roots: [fixture.datasets.path])
        let unsupervised = try DatasetCatalog.resolve(key: "MNIST_1")
        let supervised = try DatasetCatalog.resolve(key: "MNIST_2")
        let data = try DatasetSplits.load(config: unsupervised, locator: locator, validation: false)
        let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        for layers in ["hardkrotov-c40-lb3-rank3-a0.4-lr0.04-v0-r1+BP-c10", "softkrotov-c40-t1.33-lr0.045+BP-c10"] {
            let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(layers), data: shape)
            let phases = try Phase.plan(model: resolved, mode: .successive, trainingBlocks: nil, unsupervised: unsupervised, supervised: supervised)
            var rng = SeededGenerator(seed: 3)
            let start = ModelBuilder.build(resolved, using: &rng)
            let (host, device, notes, _) = try Self.trainOnHostAndDevice(start: start, resolved: resolved, phases: [phases[0]], data: data)
            let weights = [host, device].map { $0.blocks[0].hebbianLayer!.weight }
            XCTAssertNotEqual(weights[0], start.blocks[0].hebbianLayer!.weight, "\(layers): the block trained")
            assertClose(weights[1], weights[0], atol: 1e-5, rtol: 1e-4, layers)
            XCTAssertEqual(notes, ["Phase 0: block 0 trains on cpu; features, weights and batches stay on the device"], layers)
        }
    }

    /// The model after `phases` (phase i has index i) trained from `start` by the host code
    /// (no backend) and by the device path on the CPU backend, the device run's notes and each
    /// run's epoch records (seconds zeroed; print epochs evaluate when `evaluates`).
    static func trainOnHostAndDevice(
        start: Model, resolved: ResolvedModel, phases: [Phase], data: DatasetSplits, evaluates: Bool = false
    ) throws -> (host: Model, device: Model, notes: [String], records: [[EpochRecord]]) {
        var models: [Model] = []
        var notes: [String] = []
        var records: [[EpochRecord]] = []
        for backend in [nil, CPUBackend() as (any Backend)?] {
            var trainer = Trainer(model: start, resolved: resolved)
            trainer.backend = backend
            trainer.evaluatesOnPrintEpochs = evaluates
            var epochs: [EpochRecord] = []
            for (index, phase) in phases.enumerated() {
                try trainer.run(phase: phase, index: index, data: data) { event in
                    if case .note(let line) = event { notes.append(line) }
                    if case .epochEnded(var record) = event {
                        record.seconds = 0
                        epochs.append(record)
                    }
                }
            }
            models.append(trainer.model)
            records.append(epochs)
        }
        return (models[0], models[1], notes, records)
    }
}
