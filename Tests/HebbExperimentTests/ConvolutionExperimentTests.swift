import Foundation
import HebbData
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Convolutional presets end to end on tiny synthetic MNIST files, and feature caching.
final class ConvolutionExperimentTests: XCTestCase {
    private var fixture: ExperimentFixture!
    /// Two SoftHebb conv blocks (BN2d → softkrotov conv → triangle → pool), then dropout + linear.
    static let layers = "softkrotov-c8-k5-p2-t1-lr0.08-lp0.5:batchnorm2d:triangle_0.7:max_4_2_1"
        + "+softkrotov-c16-k3-p1-t0.65-lr0.01-lp0.5:batchnorm2d:triangle_1.4:avg_2_2_0+BP-c10:dropout0.5"

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    func testTrain_twoConvBlocksSuccessive_learnsAndSavesPyTorchShapedWeights() throws {
        let root = try fixture.root("conv")
        var request = fixture.request(root)
        request.preset = Self.layers
        let (summary, log) = try fixture.train(request)
        XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold, "chance is 10 %")
        XCTAssertEqual(summary.phasesRun, 3)
        XCTAssertTrue(log.contains { $0.contains("softkrotov conv 1→8 k5 p2: 28×28 → 28×28") && $0.contains("maxpool(4,2,1) 14×14") }, "\(log)")
        XCTAssertTrue(log.contains { $0.contains("BP linear 784→10") }, "16 filters × 7×7 after avgpool(2,2,0)")

        let tensors = try SafeTensorsArchive.load(from: fixture.store(root, name: Self.layers).modelFile).tensors
        XCTAssertEqual(tensors["blocks.0.layer.weight"]?.shape, [8, 1, 5, 5])
        XCTAssertEqual(tensors["blocks.1.layer.weight"]?.shape, [16, 8, 3, 3])
        XCTAssertEqual(tensors["blocks.2.layer.weight"]?.shape, [10, 784])
        XCTAssertEqual(tensors["blocks.1.inputNorm.runningMean"]?.shape, [8])

        let epochs = try fixture.metrics(root, name: Self.layers)
        XCTAssertEqual(epochs.filter { $0.kind == .unsupervised }.count, 2)
        for epoch in epochs where epoch.kind == .unsupervised {
            XCTAssertNil(epoch.testAccuracy, "conv phases report no unit-label accuracy (spec §4.4)")
            XCTAssertNotNil(epoch.convergence)
        }
    }

    func testFeatureCaching_trainsTheSameClassifierAsRecomputingFrozenBlocks() throws {
        let locator = DatasetLocator(roots: [fixture.datasets.path])
        let unsupervised = try DatasetCatalog.resolve(key: "MNIST_1")
        var supervised = try DatasetCatalog.resolve(key: "MNIST_2")
        supervised.batchSize = 20
        let data = try DatasetSplits.load(config: supervised, locator: locator, validation: false)
        let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(Self.layers), data: shape)
        let phases = try Phase.plan(model: resolved, mode: .successive, trainingBlocks: nil, unsupervised: unsupervised, supervised: supervised)
        XCTAssertEqual(phases.map(\.blocks), [[0], [1], [2]])
        var results: [(model: Model, accuracy: Float)] = []
        var initial = SeededGenerator(seed: 5)
        let start = ModelBuilder.build(resolved, using: &initial)
        for caching in [true, false] {
            var trainer = Trainer(model: start, resolved: resolved)
            trainer.cachesFrozenFeatures = caching
            for (index, phase) in phases.enumerated() {
                try trainer.run(phase: phase, index: index, data: data) { _ in }
            }
            results.append((trainer.model, Evaluation.classify(model: trainer.model, images: data.evaluation).accuracy))
        }
        XCTAssertEqual(results[0].accuracy, results[1].accuracy, accuracy: 2, "cached vs recomputed features")
        let cached = results[0].model.namedTensors(), recomputed = results[1].model.namedTensors()
        XCTAssertEqual(cached["blocks.0.layer.weight"], recomputed["blocks.0.layer.weight"], "block 0 sees raw pixels either way")
        assertClose(cached["blocks.2.layer.weight"]!, recomputed["blocks.2.layer.weight"]!, atol: 1e-3, rtol: 1e-3, "classifier")
        XCTAssertNotEqual(cached["blocks.2.layer.weight"], start.namedTensors()["blocks.2.layer.weight"], "the classifier trained")
    }

    func testSupervisedHebbianClassifier_learnsInSuccessiveAndConsecutiveModes() throws {
        let layers = "softkrotov-c8-k5-p2-t1-lr0.08-lp0.5:batchnorm2d:triangle_0.7:max_4_2_1"
            + "+supervisedsoftkrotov-c10-t12-lr0.3-r1-v0"  // 60 updates here, not the preset's 39 000: larger steps
        for mode in [TrainingMode.successive, .consecutive] {
            let root = try fixture.root("hebbian-classifier-\(mode.rawValue)")
            var request = fixture.request(root)
            request.preset = layers
            request.mode = mode
            let (summary, log) = try fixture.train(request)
            XCTAssertTrue(log.contains { $0.hasPrefix("Phase 1: supervised learning of blocks [1] on MNIST_10") }, "\(mode): \(log)")
            XCTAssertGreaterThan(summary.testAccuracy, 50, "\(mode): a class-mean classifier on easy synthetic digits; chance is 10 %")
            let epochs = try fixture.metrics(root, name: layers).filter { $0.phase == 1 }
            XCTAssertEqual(epochs.count, 10)
            let rates = epochs.compactMap(\.learningRate)
            XCTAssertGreaterThan(rates[4], 0, "linear decay spans the supervised phase, not the unsupervised one (quirk 32 fixed)")
            XCTAssertEqual(rates, rates.sorted(by: >), "decaying")
        }
    }

    /// The headline CIFAR-10 preset, full size, on 20 generated CIFAR-format training images.
    func testTrain_4SoftHebbCnnCIFAR_runsEndToEndOnGeneratedCIFARFiles() throws {
        let root = try fixture.root("cifar")
        let datasets = fixture.temporary.appendingPathComponent("cifar-src")
        try DatasetWriters.writeCIFAR10(to: datasets.appendingPathComponent("cifar-10-batches-bin"), trainPerBatch: 4, test: 10)
        var request = TrainingRequest(preset: "4SoftHebbCnnCIFAR", dataRoot: root.path)
        request.unsupervisedDataset = "CIFAR10_1"
        request.supervisedDataset = "CIFAR10_50"
        request.datasetsDirectory = datasets.path
        let (summary, log) = try fixture.train(request)
        XCTAssertEqual(summary.phasesRun, 4)
        XCTAssertTrue((0...100).contains(summary.testAccuracy))
        XCTAssertTrue(log.contains { $0.contains("b3: Flatten → Dropout(0.5) → BP linear 24576→10") }, "\(log)")
        let tensors = try SafeTensorsArchive.load(from: fixture.store(root, name: "4SoftHebbCnnCIFAR").modelFile).tensors
        XCTAssertEqual(tensors["blocks.0.layer.weight"]?.shape, [96, 3, 5, 5])
        XCTAssertEqual(tensors["blocks.1.layer.weight"]?.shape, [384, 96, 3, 3])
        XCTAssertEqual(tensors["blocks.2.layer.weight"]?.shape, [1536, 384, 3, 3])
        XCTAssertEqual(tensors["blocks.3.layer.weight"]?.shape, [10, 24576])
        XCTAssertEqual(try fixture.metrics(root, name: "4SoftHebbCnnCIFAR").count, 3 + 50)
    }

    /// A BP conv baseline (2CnnCIFAR's shape) end to end in consecutive mode, and a hybrid
    /// (Hebbian conv + BP classifier) in simultaneous mode: every trained weight moves.
    func testTrain_backpropConvAndHybridModes_trainEveryBlock() throws {
        let cases: [(String, TrainingMode)] = [
            ("BP-c8-k5-p2:batchnorm2d:relu:avg_4_2_1+BP-c10:dropout0.5", .consecutive),
            ("softkrotov-c8-k5-p2-t1-lr0.08-lp0.5:batchnorm2d:triangle_0.7:max_4_2_1+BP-c10:dropout0.5", .simultaneous),
        ]
        for (layers, mode) in cases {
            let root = try fixture.root("modes-\(mode.rawValue)")
            var request = fixture.request(root)
            request.preset = layers
            request.mode = mode
            let (summary, _) = try fixture.train(request)
            XCTAssertEqual(summary.phasesRun, 1, "\(mode): one phase trains both blocks")
            XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold, "\(mode)")
            let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
            let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(layers), data: shape)
            var rng = SeededGenerator(seed: UInt64(ExperimentFixture.seed))
            let initial = ModelBuilder.build(resolved, using: &rng).namedTensors()
            let trained = try SafeTensorsArchive.load(from: fixture.store(root, name: layers).modelFile).tensors
            for name in ["blocks.0.layer.weight", "blocks.1.layer.weight"] {
                XCTAssertNotEqual(trained[name], initial[name], "\(mode): \(name) must move")
            }
        }
    }
}
