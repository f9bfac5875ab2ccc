import Foundation
import HebbData
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Per-block checkpoints keyed by lineage, reused by later runs whose upstream history matches
/// (issue 5 item 2): a deeper model reuses the shallower model's first block bit for bit.
final class BlockReuseTests: XCTestCase {
    private var fixture: ExperimentFixture!
    static let twoLayers = "soft-c12-t1-lr0.05+BP-c10-ls0.05:bn"
    static let threeLayers = "soft-c12-t1-lr0.05+soft-c8-t1-lr0.05+BP-c10-ls0.05:bn"

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    private func lineage(_ layers: String, mode: TrainingMode = .successive, seed: Int = 3, blocks: [Int]? = nil) throws -> BlockLineage {
        let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        let model = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(layers), data: shape)
        let phases = try Phase.plan(
            model: model, mode: mode, trainingBlocks: blocks, unsupervised: try DatasetCatalog.resolve(key: "MNIST_1"),
            supervised: try DatasetCatalog.resolve(key: "MNIST_10"))
        return BlockLineage(model: model, phases: phases, seed: seed, validation: (false, false))
    }

    func testLineage_sameFirstBlockSameKey_historyChangesIt() throws {
        let two = try lineage(Self.twoLayers), three = try lineage(Self.threeLayers)
        XCTAssertEqual(two.afterPhase[0][0], three.afterPhase[0][0], "block 0 after its phase depends only on itself")
        XCTAssertTrue(two.afterPhase[0][0].hasPrefix("block0-soft-784x12-"))
        XCTAssertNotEqual(two.afterPhase[0][0], two.initial[0], "training changes the key")
        XCTAssertNotEqual(try lineage(Self.twoLayers, seed: 4).afterPhase[0][0], two.afterPhase[0][0], "seed")
        XCTAssertNotEqual(try lineage(Self.threeLayers, mode: .consecutive).afterPhase[0][0], three.afterPhase[0][0], "trained together with block 1")
        // Block 1 on a random block 0 is not block 1 on a trained block 0.
        let onRandom = try lineage(Self.threeLayers, blocks: [1, 2])
        XCTAssertNotEqual(onRandom.afterPhase[0][1], three.afterPhase[1][1])
        XCTAssertEqual(onRandom.afterPhase[0][0], onRandom.initial[0], "untrained block keeps its initial key")
    }

    func testReuse_deeperRunLoadsTheSavedFirstBlockAndMatchesTrainingIt() throws {
        let root = try fixture.root("shared")
        var shallow = fixture.request(root)
        (shallow.preset, shallow.modelName) = (Self.twoLayers, "two")
        _ = try fixture.train(shallow)

        var deep = fixture.request(root)
        (deep.preset, deep.modelName, deep.reuseBlocks) = (Self.threeLayers, "three-reused", true)
        let (reused, log) = try fixture.train(deep)
        XCTAssertEqual(reused.phasesSkipped, 1)
        XCTAssertTrue(log.contains { $0.hasPrefix("Phase 0: reused blocks [0] from ") }, "\(log)")

        var fresh = deep
        (fresh.modelName, fresh.reuseBlocks) = ("three-fresh", false)
        let trained = try fixture.train(fresh).summary
        XCTAssertEqual(trained.phasesSkipped, 0)
        let a = try SafeTensorsArchive.load(from: fixture.store(root, name: "three-reused").modelFile).tensors
        let b = try SafeTensorsArchive.load(from: fixture.store(root, name: "three-fresh").modelFile).tensors
        XCTAssertEqual(a, b, "reusing block 0 gives the same network as training it")
        XCTAssertEqual(reused.testAccuracy, trained.testAccuracy)
    }

    func testReuse_otherSeedOrNoSavedBlock_trainsEverything() throws {
        let root = try fixture.root("other")
        var first = fixture.request(root, seed: 1)
        (first.preset, first.modelName) = (Self.twoLayers, "seed1")
        _ = try fixture.train(first)
        var second = fixture.request(root, seed: 2)
        (second.preset, second.modelName, second.reuseBlocks) = (Self.twoLayers, "seed2", true)
        XCTAssertEqual(try fixture.train(second).summary.phasesSkipped, 0)
    }
}
