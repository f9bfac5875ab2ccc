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
}
