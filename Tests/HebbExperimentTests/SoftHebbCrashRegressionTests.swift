import Foundation
import HebbData
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// The situations that crash the original SoftHebb code (spec §7, quirk numbers in the test
/// names) run cleanly in hebb. Quirk 33 (post_hoc_loss.py) is in `PostHocLossTests`.
final class SoftHebbCrashRegressionTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    /// Quirk 12: a Hebbian block left out by --training-blocks (a random-weight baseline) crashed
    /// successive mode. Here only the classifier trains; block 0 keeps its initial weights.
    func testQuirk12_randomHebbianBaseline_trainsClassifierOnlyInSuccessiveMode() throws {
        let root = try fixture.root("q12")
        var request = fixture.request(root)
        request.trainingBlocks = [1]
        let (summary, log) = try fixture.train(request)
        XCTAssertEqual(summary.phasesRun, 1)
        XCTAssertTrue(log.contains { $0.hasPrefix("Phase 0: supervised learning of blocks [1]") }, "\(log)")
        XCTAssertEqual(try fixture.tensors(root)["blocks.0.layer.weight"], try fixture.initialTensors()["blocks.0.layer.weight"])
    }

    /// Quirk 20: saving logs with --save false crashed on a missing folder. Nothing is written.
    func testQuirk20_saveFalse_runsAndWritesNothing() throws {
        let root = try fixture.root("q20")
        var request = fixture.request(root)
        request.save = false
        _ = try fixture.train(request)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
    }

    /// Quirk 25: MNIST_1c asked for 59 000 samples of one class. hebb trains on all of class 1.
    func testQuirk25_singleClassKey_loadsEveryImageOfThatClass() throws {
        let config = try DatasetCatalog.resolve(key: "MNIST_1c")
        let data = try DatasetSplits.load(config: config, locator: DatasetLocator(roots: [fixture.datasets.path]), validation: false)
        XCTAssertFalse(data.trainIndices.isEmpty)
        XCTAssertTrue(data.trainIndices.allSatisfy { data.train.labels[$0] == 1 })
    }

    /// Quirk 26: shuffle = false left the training indices undefined. They are in file order.
    func testQuirk26_noShuffle_keepsFileOrder() throws {
        var config = try DatasetCatalog.resolve(key: "MNIST_1")
        config.shuffle = false
        let data = try DatasetSplits.load(config: config, locator: DatasetLocator(roots: [fixture.datasets.path]), validation: false)
        XCTAssertEqual(data.trainIndices, Array(0..<data.trainIndices.count))
    }

    /// Quirk 28: a linear hardkrotov layer referenced a missing attribute. It trains here.
    func testQuirk28_linearHardKrotov_trains() throws {
        let root = try fixture.root("q28")
        var request = fixture.request(root)
        request.preset = "hardkrotov-c20-lb3-rank3-a0.4-lr0.04-v0:relu+BP-c10-ls0.05:bn"
        let (summary, _) = try fixture.train(request)
        XCTAssertEqual(summary.phasesRun, 2)
        XCTAssertGreaterThan(summary.testAccuracy, 20, "chance is 10 %")
    }

    /// Quirk 30: without_classifier skipped keys by substring ("1" also matched block 10).
    func testQuirk30_blockKeysMatchByExactPrefix() {
        XCTAssertEqual(Model.blockIndex(of: "blocks.10.layer.weight"), 10)
        XCTAssertEqual(Model.blockIndex(of: "blocks.1.layer.weight"), 1)
        XCTAssertNil(Model.blockIndex(of: "xblocks.1.layer.weight"))
        XCTAssertNil(Model.blockIndex(of: "blocks.1x.layer.weight"))
    }

    /// A Hebbian block with an output batch norm (`batch_norm: true`) updates that norm's running
    /// statistics while it trains, as SoftHebb's full forward does; evaluation then uses them.
    func testUnsupervisedPhase_updatesTheOutputNormRunningStatistics() throws {
        let root = try fixture.root("outbn")
        var request = fixture.request(root)
        request.preset = "soft-c16-t1-lr0.05:relu:outbn+BP-c10-ls0.05"
        _ = try fixture.train(request)
        let tensors = try SafeTensorsArchive.load(from: fixture.store(root, name: request.preset).modelFile).tensors
        let mean = try XCTUnwrap(tensors["blocks.0.outputNorm.runningMean"])
        XCTAssertTrue(mean.scalars.contains { $0 != 0 }, "running mean left at its initial zeros")
    }
}
