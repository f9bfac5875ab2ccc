import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Lagani's G/H presets (peers §3.9–3.10) resolve as `hebb presets NAME` prints them and train end
/// to end: the CIFAR-10 ones on generated CIFAR-format files, the MNIST hybrid on synthetic digits.
final class LaganiPresetTests: XCTestCase {
    private var fixture: ExperimentFixture!
    static let cifar = ["G1_6CIFAR", "H1G2_6CIFAR", "H1_6CIFAR"]

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    func testPresets_resolveToLaganisTopology() throws {
        let library = try PresetLibrary.builtin()
        let cifar = DataShape(channels: 3, height: 32, width: 32, classCount: 10)
        for name in Self.cifar {
            let model = try ModelBuilder.resolve(library.resolve(name), data: cifar)
            XCTAssertEqual(model.blocks.map(\.outputShape), [[96, 14, 14], [128, 12, 12], [192, 5, 5], [256, 3, 3], [300, 1, 1], [10, 1, 1]], name)
            XCTAssertEqual(model.blocks[4].inputFeatures, 2304, "\(name): fc5 sees 256·3·3")
            XCTAssertTrue(ModelDescription.describe(model).contains("b4: BatchNorm2d → Flatten →"), name)
        }
        let kinds = { (name: String) in try ModelBuilder.resolve(library.resolve(name), data: cifar).blocks.map(\.config.layer.kind) }
        XCTAssertEqual(try kinds("G1_6CIFAR"), [LayerKind](repeating: .backprop, count: 6))
        XCTAssertEqual(try kinds("H1G2_6CIFAR"), [.winnerTakeAll] + [LayerKind](repeating: .backprop, count: 5))
        XCTAssertEqual(try kinds("H1_6CIFAR"), [LayerKind](repeating: .winnerTakeAll, count: 6))
        let hebbian = try ModelBuilder.resolve(library.resolve("H1_6CIFAR"), data: cifar).blocks.map(\.config.layer)
        XCTAssertEqual(hebbian.map(\.kernelsPerClass), [nil, 8, 16, 24, 28, 1], "Lagani's class-bound kernels per layer")
        XCTAssertEqual(hebbian.map { $0.similarity }, [.angular, .angular, .angular, .angular, .angular, .projection])
        let mnist = try ModelBuilder.resolve(library.resolve("H1G2_6MNIST"), data: DataShape(channels: 1, height: 28, width: 28, classCount: 10))
        XCTAssertEqual(mnist.blocks.map(\.outputShape), [[96, 12, 12], [128, 10, 10], [192, 4, 4], [256, 2, 2], [300, 1, 1], [10, 1, 1]])
        let light = try ModelBuilder.resolve(library.resolve("H1G2_3MNIST"), data: DataShape(channels: 1, height: 28, width: 28, classCount: 10))
        XCTAssertEqual(light.blocks.map(\.outputFeatures), [13824, 300, 10])
    }

    func testCIFARPresets_trainEndToEndOnGeneratedCIFARFiles() throws {
        let datasets = fixture.temporary.appendingPathComponent("cifar-src")
        try DatasetWriters.writeCIFAR10(to: datasets.appendingPathComponent("cifar-10-batches-bin"), trainPerBatch: 4, test: 10)
        for name in Self.cifar {
            let root = try fixture.root(name)
            var request = TrainingRequest(preset: name, dataRoot: root.path)
            request.unsupervisedDataset = "CIFAR10_1"
            request.supervisedDataset = "CIFAR10_2"
            request.datasetsDirectory = datasets.path
            request.mode = .consecutive
            request.seed = 1
            let (summary, log) = try fixture.train(request)
            XCTAssertTrue((0...100).contains(summary.testAccuracy), name)
            let expectedPhases = name == "G1_6CIFAR"
                ? ["Phase 0: supervised learning of blocks [0, 1, 2, 3, 4, 5]"]
                : ["Phase 0: unsupervised learning of blocks [0]", "Phase 1: supervised learning of blocks [1, 2, 3, 4, 5]"]
            for phase in expectedPhases { XCTAssertTrue(log.contains { $0.hasPrefix(phase) }, "\(name): \(phase) in \(log)") }
            let trained = try SafeTensorsArchive.load(from: fixture.store(root, name: name).modelFile).tensors
            XCTAssertEqual(trained["blocks.0.layer.weight"]?.shape, [96, 3, 5, 5], name)
            XCTAssertEqual(trained["blocks.4.layer.weight"]?.shape, [300, 2304], name)
            XCTAssertEqual(trained["blocks.5.layer.weight"]?.shape, [10, 300], name)
            let initial = try initialWeights(name, seed: 1)
            for block in 0..<6 {
                XCTAssertNotEqual(trained["blocks.\(block).layer.weight"], initial["blocks.\(block).layer.weight"], "\(name): block \(block) must learn")
                XCTAssertTrue(trained["blocks.\(block).layer.weight"]?.isFinite ?? false, "\(name) b\(block)")
            }
        }
    }

    /// H1G2_3MNIST end to end; H1G2_6MNIST has H1G2_6CIFAR's blocks, which train above, and takes
    /// half a minute more in a debug build, so only its shapes are checked (first test).
    func testMNISTHybrid_learnsTheSyntheticDigits() throws {
        for (name, supervised, minimum) in [("H1G2_3MNIST", "MNIST_2", Float(60))] {
            let root = try fixture.root(name)
            var request = fixture.request(root)
            request.preset = name
            request.mode = .consecutive
            request.supervisedDataset = supervised
            let (summary, log) = try fixture.train(request)
            XCTAssertTrue(log.contains { $0.contains("b0: wta conv 1→96 k5 p0: 28×28 → 24×24") }, "\(log)")
            XCTAssertTrue(log.contains { $0.hasPrefix("Phase 1: supervised learning of blocks [1, 2") }, "\(name): \(log)")
            XCTAssertGreaterThan(summary.testAccuracy, minimum, "\(name); chance is 10 %")
        }
    }

    /// The weights a run of preset `name` starts from (CIFAR shape).
    private func initialWeights(_ name: String, seed: Int) throws -> [String: Tensor] {
        let shape = DataShape(channels: 3, height: 32, width: 32, classCount: 10)
        let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(name), data: shape)
        var rng = SeededGenerator(seed: UInt64(seed))
        return ModelBuilder.build(resolved, using: &rng).namedTensors()
    }
}
