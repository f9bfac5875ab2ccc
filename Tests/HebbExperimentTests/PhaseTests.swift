import HebbData
import XCTest

@testable import HebbExperiment

final class PhaseTests: XCTestCase {
    private let mnist = DataShape(channels: 1, height: 28, width: 28, classCount: 10)

    /// soft (b0), hard (b1), BP (b2, ls 0.01), BP (b3, ls 0.002).
    private func model(_ layers: String = "soft-c16+hard-c8+BP-c12-ls0.01+BP-c10-ls0.002") throws -> ResolvedModel {
        try ModelBuilder.resolve(PresetLibrary.builtin().resolve(layers), data: mnist)
    }

    private func plan(_ mode: TrainingMode, blocks: [Int]? = nil, layers: String? = nil) throws -> [Phase] {
        let m = try layers.map { try model($0) } ?? model()
        return try Phase.plan(
            model: m, mode: mode, trainingBlocks: blocks,
            unsupervised: DatasetCatalog.resolve(key: "MNIST_1"), supervised: DatasetCatalog.resolve(key: "MNIST_10"))
    }

    private func summary(_ phases: [Phase]) -> [String] {
        phases.map { "\($0.kind.rawValue)\($0.blocks)" }
    }

    // MARK: - Successive

    func testPlan_successive_onePhasePerBlockInOrder() throws {
        let phases = try plan(.successive)
        XCTAssertEqual(summary(phases), ["unsupervised[0]", "unsupervised[1]", "supervised[2]", "supervised[3]"])
        XCTAssertEqual(phases[0].datasetKey, "MNIST_1")
        XCTAssertEqual(phases[0].epochs, 1)
        XCTAssertEqual(phases[0].batchSize, 32)
        XCTAssertNil(phases[0].learningRate)
        XCTAssertEqual(phases[2].datasetKey, "MNIST_10")
        XCTAssertEqual(phases[2].epochs, 10)
        XCTAssertEqual(phases[2].learningRate, 0.01)
        XCTAssertEqual(phases[3].learningRate, 0.002)
    }

    func testPlan_successive_trainingBlocksAreSortedAndDeduplicated() throws {
        XCTAssertEqual(summary(try plan(.successive, blocks: [3, 0, 3])), ["unsupervised[0]", "supervised[3]"])
    }

    // MARK: - Consecutive

    func testPlan_consecutive_hebbianThenRest() throws {
        let phases = try plan(.consecutive)
        XCTAssertEqual(summary(phases), ["unsupervised[0, 1]", "supervised[2, 3]"])
        XCTAssertEqual(phases[1].learningRate, 0.002, "the smallest ls of the BP blocks")
        XCTAssertEqual(phases[1].datasetKey, "MNIST_10")
    }

    func testPlan_consecutive_onlyHebbianBlocks_hasNoSupervisedPhase() throws {
        XCTAssertEqual(summary(try plan(.consecutive, blocks: [0, 1])), ["unsupervised[0, 1]"])
    }

    // MARK: - Simultaneous

    func testPlan_simultaneous_oneHybridPhase() throws {
        let phases = try plan(.simultaneous)
        XCTAssertEqual(summary(phases), ["hybrid[0, 1, 2, 3]"])
        XCTAssertEqual(phases[0].datasetKey, "MNIST_10")
        XCTAssertEqual(phases[0].learningRate, 0.002)
    }

    func testPlan_simultaneous_withoutBackpropBlock_isUnsupported() throws {
        XCTAssertThrowsError(try plan(.simultaneous, blocks: [0, 1])) { error in
            guard case .unsupported(let what, let hint)? = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("simultaneous"), what)
            XCTAssertTrue(hint.contains("--training-blocks"), hint)
        }
        XCTAssertThrowsError(try plan(.simultaneous, layers: "soft-c16+hard-c10"))
    }

    // MARK: - Training-block subsets

    func testPlan_onlyClassifier_givesRandomBaselineInEveryMode() throws {
        let layers = "soft-c16+BP-c10"
        for mode in TrainingMode.allCases {
            let phases = try plan(mode, blocks: [1], layers: layers)
            XCTAssertEqual(phases.count, 1, "\(mode)")
            XCTAssertEqual(phases.first?.blocks, [1], "\(mode)")
            XCTAssertEqual(phases.first?.kind, mode == .simultaneous ? .hybrid : .supervised, "\(mode)")
            XCTAssertEqual(phases.first?.learningRate, 0.001, "\(mode)")
        }
    }

    func testPlan_onlyHebbianBlock_successiveAndConsecutive() throws {
        for mode in [TrainingMode.successive, .consecutive] {
            XCTAssertEqual(summary(try plan(mode, blocks: [0], layers: "soft-c16+BP-c10")), ["unsupervised[0]"], "\(mode)")
        }
    }

    func testPlan_outOfRangeBlock_isBadBlock() throws {
        for mode in TrainingMode.allCases {
            XCTAssertThrowsError(try plan(mode, blocks: [0, 4])) { error in
                guard case .badBlock(_, let block, let reason)? = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(block, 4)
                XCTAssertTrue(reason.contains("0…3"), reason)
            }
        }
        XCTAssertThrowsError(try plan(.successive, blocks: [-1]))
    }

    func testPlan_emptyTrainingBlocks_planNothing() throws {
        XCTAssertEqual(try plan(.successive, blocks: []), [])
        XCTAssertEqual(try plan(.consecutive, blocks: []), [])
    }
}
