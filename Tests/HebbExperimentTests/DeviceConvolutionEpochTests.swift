import Foundation
import HebbData
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// The device epoch of a convolutional Hebbian block (input BatchNorm2d, reflect-padded conv,
/// `--device cuda`'s code path) run on the CPU backend matches the host code.
final class DeviceConvolutionEpochTests: XCTestCase {
    func testConvolutionalDeviceEpochOnCPUBackendMatchesHostCodeForSoftHebbAndKrotov() throws {
        // 3×8×8 images, 6 filters k3 p1 reflect, BN2d; 18 samples in batches of 4: the last is partial.
        let problems: [DeviceParity.Problem] = [
            .convolutionSoftHebb(channels: 3, size: 8, filters: 6, kernel: 3, padding: 1, samples: 18, batchSize: 4),
            .convolutionKrotov(channels: 3, size: 8, filters: 6, kernel: 3, padding: 1, samples: 18, batchSize: 4),
        ]
        for problem in problems {
            XCTAssertEqual(problem.geometry?.paddingMode, .reflect)
            let result = try DeviceParity.compare(problem, backend: CPUBackend())
            XCTAssertLessThanOrEqual(result.relativeError, 1e-5, problem.name)
            XCTAssertLessThanOrEqual(result.radiusError, 1e-5, problem.name)
            XCTAssertEqual(result.runningStatisticsError, 0, "\(problem.name): the CPU backend's batch norm is the host's arithmetic")
        }
    }

    func testConvolutionalEpochMovesWeightsAndRunningStatistics() throws {
        let problem = DeviceParity.Problem.convolutionSoftHebb(channels: 3, size: 8, filters: 6, kernel: 3, padding: 1, samples: 18, batchSize: 4)
        var rng = SeededGenerator(seed: problem.seed)
        let (features, initial) = problem.seededInputs(using: &rng)
        let device = try DeviceHebbianEpoch(
            backend: CPUBackend(), block: 0, layer: problem.layer(initial), inputNorm: problem.freshInputNorm,
            rule: DeviceRule(problem.rule)!, schedule: problem.schedule, features: features, batchSize: problem.batchSize)
        let (tally, updates) = try device.epoch(order: rng.permutation(problem.samples), firstUpdate: 0)
        XCTAssertEqual(updates, 5)
        XCTAssertEqual(tally.competitions, 18 * 64, "one competition per sample and position")
        XCTAssertNotEqual(try device.downloadWeights(), initial)
        let norm = try XCTUnwrap(try device.downloadInputNorm())
        XCTAssertEqual(norm.runningMean.count, 3)
        // Uniform [0, 1) inputs: the running mean heads for 0.5 (five steps of momentum 0.1 from 0).
        for mean in norm.runningMean { XCTAssertEqual(mean, 0.5 * (1 - powf(0.9, 5)), accuracy: 0.03) }
    }

    /// Two SoftHebb conv blocks (BN2d → softkrotov conv → triangle → pool), then the classifier.
    static let layers = "softkrotov-c6-k5-p2-t1-lr0.08-lp0.5:batchnorm2d:triangle_0.7:max_4_2_1"
        + "+softkrotov-c8-k3-p1-t0.65-lr0.01-lp0.5:batchnorm2d:triangle_1.4:avg_2_2_0+BP-c10:dropout0.5"

    func testTrainerWithBackendTrainsConvolutionalBlocksAndTheClassifierLikeTheHost() throws {
        // Every phase on the device: block 1 and the classifier on the frozen blocks' device forward.
        let (data, resolved, phases) = try Self.setUp(Self.layers)
        XCTAssertEqual(phases.map(\.blocks), [[0], [1], [2]])
        var rng = SeededGenerator(seed: 3)
        let start = ModelBuilder.build(resolved, using: &rng)
        let trained = try DeviceEpochTests.trainOnHostAndDevice(start: start, resolved: resolved, phases: phases, data: data, evaluates: true)
        let stays = "features, weights, batch norm, patches and batches stay on the device"
        XCTAssertEqual(trained.notes, [
            "Phase 0: block 0 trains on cpu; \(stays)",
            "Phase 1: block 1 trains on cpu; \(stays); the frozen block 0 runs forward there too (evaluation mode, chunks of 1000 images)",
            "Phase 2: block 2 (linear classifier) trains on cpu; features, weights, Adam moments and batches stay on the device, dropout masks"
                + " are drawn on the host, evaluation runs on the device; the frozen blocks 0–1 run forward there too (evaluation mode, chunks"
                + " of 1000 images)",
        ])
        let (host, device) = (trained.host.namedTensors(), trained.device.namedTensors())
        for block in 0..<3 {
            let weight = "blocks.\(block).layer.weight"
            XCTAssertNotEqual(host[weight], start.namedTensors()[weight], "block \(block) trained")
            assertClose(device[weight]!, host[weight]!, atol: 1e-5, rtol: 1e-4, weight)
            for statistic in ["runningMean", "runningVariance"] where block < 2 {
                let name = "blocks.\(block).inputNorm.\(statistic)"
                XCTAssertNotEqual(host[name], start.namedTensors()[name], "\(name) moved")
                assertClose(device[name]!, host[name]!, atol: 1e-6, rtol: 1e-5, name)
            }
        }
        let (hostRecords, deviceRecords) = (trained.records[0], trained.records[1])
        XCTAssertEqual(deviceRecords.count, hostRecords.count)
        let classifier = try XCTUnwrap(hostRecords.last { $0.kind == .supervised })
        XCTAssertNotNil(classifier.testAccuracy, "the classifier's print epoch evaluates")
        for (h, d) in zip(hostRecords, deviceRecords) {
            XCTAssertEqual(d.trainAccuracy, h.trainAccuracy, "phase \(h.phase) epoch \(h.epoch)")
            XCTAssertEqual(d.testAccuracy, h.testAccuracy, "phase \(h.phase) epoch \(h.epoch)")
            XCTAssertEqual(d.trainLoss ?? 0, h.trainLoss ?? 0, accuracy: 1e-5, "phase \(h.phase) epoch \(h.epoch)")
            XCTAssertEqual(d.testLoss ?? 0, h.testLoss ?? 0, accuracy: 1e-5, "phase \(h.phase) epoch \(h.epoch)")
        }
    }

    func testFrozenBlocksTheDeviceCannotRunAreCachedOnTheHostAndUploaded() throws {
        // Block 1 is a grouped convolution: block 2's phase trains on the device on the host's cache.
        let layers = "softkrotov-c4-k3-p1-t1:batchnorm2d:triangle_1+soft-c4-k3-p1-g2:triangle_1:max_2_2_0"
            + "+softkrotov-c6-k3-p1-t1-lr0.05:batchnorm2d:triangle_1+BP-c10"
        let (data, resolved, phases) = try Self.setUp(layers)
        var rng = SeededGenerator(seed: 3)
        let start = ModelBuilder.build(resolved, using: &rng)
        let trained = try DeviceEpochTests.trainOnHostAndDevice(start: start, resolved: resolved, phases: [phases[2]], data: data)
        XCTAssertEqual(trained.notes, [
            "Phase 0: block 2 trains on cpu; features, weights, batch norm, patches and batches stay on the device; the frozen blocks 0–1"
                + " run on the host (block 1 has a convolution of 2 groups; the device runs one), their outputs cached and uploaded"
        ])
        let weight = "blocks.2.layer.weight"
        XCTAssertNotEqual(trained.host.namedTensors()[weight], start.namedTensors()[weight])
        assertClose(trained.device.namedTensors()[weight]!, trained.host.namedTensors()[weight]!, atol: 1e-5, rtol: 1e-4, weight)
    }

    func testIneligibleConvolutionalPhasesSayWhyTheyRunOnTheCPU() throws {
        // Hard WTA has no device rule; a frozen prefix whose features are not cached cannot be uploaded.
        let cases = [
            ("hard-c4-k5-p2-lr0.05:batchnorm2d+BP-c10", 0, true, "only a single soft/softkrotov/Krotov block runs on the device"),
            (Self.layers, 1, false, "the frozen blocks' features are not cached"),
        ]
        for (layers, index, caching, reason) in cases {
            let (data, resolved, phases) = try Self.setUp(layers)
            var rng = SeededGenerator(seed: 3)
            var trainer = Trainer(model: ModelBuilder.build(resolved, using: &rng), resolved: resolved)
            trainer.backend = CPUBackend()
            trainer.evaluatesOnPrintEpochs = false
            trainer.cachesFrozenFeatures = caching
            var notes: [String] = []
            try trainer.run(phase: phases[index], index: index, data: data) { if case .note(let line) = $0 { notes.append(line) } }
            XCTAssertEqual(notes.count, 1, layers)
            XCTAssertTrue(notes.first?.hasPrefix("Phase \(index): runs on the CPU, not cpu: \(reason)") ?? false, "\(notes)")
        }
    }

    /// Tiny synthetic MNIST (MNIST_1), `layers` resolved for 1×28×28 images, successive phases.
    private static func setUp(_ layers: String) throws -> (DatasetSplits, ResolvedModel, [Phase]) {
        let fixture = try ExperimentFixture()
        defer { fixture.remove() }
        let locator = DatasetLocator(roots: [fixture.datasets.path])
        let unsupervised = try DatasetCatalog.resolve(key: "MNIST_1")
        let data = try DatasetSplits.load(config: unsupervised, locator: locator, validation: false)
        let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(layers), data: shape)
        let phases = try Phase.plan(model: resolved, mode: .successive, trainingBlocks: nil, unsupervised: unsupervised, supervised: unsupervised)
        return (data, resolved, phases)
    }
}
