import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// The `oja`, `hebb` and `wta` prefixes through `Experiment.train` on the synthetic MNIST files:
/// features good enough for the fixture's classifier, unit normalisation kept, and Lagani's fully
/// Hebbian supervised stack.
final class LocalRuleTrainingTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    private func train(_ layers: String, mode: TrainingMode = .successive) throws -> (TrainingSummary, [String: Tensor]) {
        let root = try fixture.root(String(layers.prefix(24)).replacingOccurrences(of: ":", with: "_"))
        var request = fixture.request(root)
        request.preset = layers
        request.mode = mode
        let (summary, _) = try fixture.train(request)
        return (summary, try SafeTensorsArchive.load(from: fixture.store(root, name: layers).modelFile).tensors)
    }

    func testEveryNewPrefix_trainsFeaturesTheClassifierCanRead() throws {
        let threshold = ExperimentFixture.accuracyThreshold
        // Gaussian similarities of 784-pixel inputs are all close to 1 (σ² = 784), so the Euclidean
        // variant's features are weaker: measured 66 % with the fixture's seed.
        for (layers, minimum) in [
            ("oja-c16-lr0.01+BP-c10-ls0.05:bn", threshold), ("hebb-c16-lr0.01-norm1+BP-c10-ls0.05:bn", threshold),
            ("hebb-c16-lr0.001-wd0.1+BP-c10-ls0.05:bn", threshold), ("wta-c16+BP-c10-ls0.05:bn", threshold),
            ("wta-c16-simeuclid-updhebb-anti0.1+BP-c10-ls0.05:bn", 40), ("wta-c16-som4x4-tau20-v3+BP-c10-ls0.05:bn", threshold),
        ] {
            let (summary, tensors) = try train(layers)
            XCTAssertGreaterThan(summary.testAccuracy, minimum, "\(layers); chance is 10 %")
            let weights = try XCTUnwrap(tensors["blocks.0.layer.weight"])
            XCTAssertTrue(weights.isFinite, layers)
            if layers.contains("norm1") {
                assertClose(weights.normsRows(p: 2), Tensor(repeating: 1, shape: [16]), atol: 1e-5, rtol: 0, "\(layers): unit norms")
            }
        }
    }

    func testFullyHebbianConvStack_withTeacherAndCentroidClassifier_learns() throws {
        let layers = "wta-c16-k5-lr0.1:relu:max_4_4_0+wta-c20-k3-teach2:batchnorm2d:relu:max_2_2_0+wta-c10-simproj-teach1:flatten"
        for mode in [TrainingMode.successive, .consecutive] {
            let (summary, tensors) = try train(layers, mode: mode)
            XCTAssertGreaterThan(summary.testAccuracy, 50, "\(mode): class centroids on Hebbian features; chance is 10 %")
            XCTAssertEqual(tensors["blocks.1.layer.weight"]?.shape, [20, 16, 3, 3])
            XCTAssertEqual(tensors["blocks.2.layer.weight"]?.shape, [10, 80], "20 filters × 2×2")
        }
    }

    /// Krotov & Hopfield's second stage: RePU features, tanh(β·) outputs, loss Σ|c − t|^6 by Adam.
    func testKrotovSupervisedHead_trainsWithThePowerLoss() throws {
        let layers = "hardkrotov-c16-lb3-rank3-a0.4-lr0.04-v2:repu_4.5+BP-c10-ls0.05:bn:tanh_0.1:powerloss_6"
        let root = try fixture.root("krotov-head")
        var request = fixture.request(root)
        request.preset = layers
        let (summary, log) = try fixture.train(request)
        XCTAssertTrue(log.contains { $0.contains("BP linear 16→10 → tanh_0.1 → loss powerloss_6") }, "\(log)")
        XCTAssertGreaterThan(summary.testAccuracy, ExperimentFixture.accuracyThreshold, "chance is 10 %")
        let last = try XCTUnwrap(fixture.metrics(root, name: layers).last?.testLoss)
        XCTAssertLessThan(last, 10, "Σ over 10 classes of |c − t|^6 starts near 10 (c ≈ 0) and falls")
    }
}
