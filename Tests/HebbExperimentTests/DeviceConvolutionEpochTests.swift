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

    func testTrainerWithBackendTrainsConvolutionalBlocksLikeTheHost() throws {
        let (data, resolved, phases) = try Self.setUp(Self.layers)
        var rng = SeededGenerator(seed: 3)
        let start = ModelBuilder.build(resolved, using: &rng)
        let trained = try DeviceEpochTests.trainOnHostAndDevice(start: start, resolved: resolved, phases: Array(phases[0..<2]), data: data)
        XCTAssertEqual(
            trained.notes, (0..<2).map { "Phase \($0): block \($0) trains on cpu; features, weights, batch norm, patches and batches stay on the device" })
        let (host, device) = (trained.host.namedTensors(), trained.device.namedTensors())
        for block in 0..<2 {
            let weight = "blocks.\(block).layer.weight"
            XCTAssertNotEqual(host[weight], start.namedTensors()[weight], "block \(block) trained")
            assertClose(device[weight]!, host[weight]!, atol: 1e-5, rtol: 1e-4, weight)
            for statistic in ["runningMean", "runningVariance"] {
                let name = "blocks.\(block).inputNorm.\(statistic)"
                XCTAssertNotEqual(host[name], start.namedTensors()[name], "\(name) moved")
                assertClose(device[name]!, host[name]!, atol: 1e-6, rtol: 1e-5, name)
            }
        }
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
