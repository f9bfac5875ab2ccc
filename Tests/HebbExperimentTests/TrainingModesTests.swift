import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Each training mode trains the right blocks in the right order (spec §4.2–4.3), checked on
/// a three-block model by which weights moved; random-weight baselines (`--training-blocks`) in
/// every mode (quirk 12), and simultaneous mode leaves untrained blocks alone (quirk 31).
final class TrainingModesTests: XCTestCase {
    private var fixture: ExperimentFixture!
    static let layers = "soft-c12-t1-lr0.05+soft-c8-t1-lr0.05+BP-c10-ls0.05:bn"
    static let weights = ["blocks.0.layer.weight", "blocks.1.layer.weight", "blocks.2.layer.weight"]

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    /// Trains `layers` in `mode` (optionally only `blocks`); returns the blocks of each metrics
    /// line in order, which weights changed, and the first Hebbian measures of each line.
    private func run(_ mode: TrainingMode, blocks: [Int]? = nil) throws -> (order: [[Int]], changed: [Bool], records: [EpochRecord]) {
        let root = try fixture.root("\(mode.rawValue)-\(blocks.map { "\($0)" } ?? "all")")
        var request = fixture.request(root)
        request.preset = Self.layers
        request.mode = mode
        request.trainingBlocks = blocks
        _ = try fixture.train(request)
        let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(Self.layers), data: shape)
        var rng = SeededGenerator(seed: UInt64(ExperimentFixture.seed))
        let initial = ModelBuilder.build(resolved, using: &rng).namedTensors()
        let after = try SafeTensorsArchive.load(from: fixture.store(root, name: Self.layers).modelFile).tensors
        let records = try fixture.metrics(root, name: Self.layers)
        var order: [[Int]] = []
        for record in records where order.last != record.blocks { order.append(record.blocks) }
        return (order, Self.weights.map { after[$0] != initial[$0] }, records)
    }

    func testSuccessive_trainsBlocksOneAfterAnother() throws {
        let result = try run(.successive)
        XCTAssertEqual(result.order, [[0], [1], [2]])
        XCTAssertEqual(result.changed, [true, true, true])
        XCTAssertEqual(result.records[0].hebbian?.map(\.block), [0])
        XCTAssertEqual(result.records[1].hebbian?.map(\.block), [1], "measures of the trained block (quirk 16)")
    }

    func testConsecutive_trainsHebbianBlocksTogetherThenTheClassifier() throws {
        let result = try run(.consecutive)
        XCTAssertEqual(result.order, [[0, 1], [2]])
        XCTAssertEqual(result.changed, [true, true, true])
        let first = try XCTUnwrap(result.records.first)
        XCTAssertEqual(first.hebbian?.map(\.block), [0, 1])
        XCTAssertEqual(first.convergence, first.hebbian?.last?.convergence, "the line reports the last trained block")
        XCTAssertEqual(first.learningRate, BlockMeasures.mean(first.hebbian?.last?.neurons.learningRates ?? []), accuracy: 1e-7, "quirk 15")
    }

    func testSimultaneous_trainsEveryBlockInOnePhase() throws {
        let result = try run(.simultaneous)
        XCTAssertEqual(result.order, [[0, 1, 2]])
        XCTAssertEqual(result.changed, [true, true, true])
    }

    func testTrainingBlocks_classifierOnlyBaseline_inEveryMode() throws {
        for mode in TrainingMode.allCases {
            let result = try run(mode, blocks: [2])
            XCTAssertEqual(result.order, [[2]], "\(mode)")
            XCTAssertEqual(result.changed, [false, false, true], "\(mode): random Hebbian features, trained classifier")
        }
    }

    func testTrainingBlocks_middleBlockAndClassifier_leaveBlockZeroUntouchedInEveryMode() throws {
        for mode in TrainingMode.allCases {
            let result = try run(mode, blocks: [1, 2])
            XCTAssertEqual(result.changed, [false, true, true], "\(mode) (quirk 31 for simultaneous)")
        }
    }

    func testMetricsFiles_csvRowPerEpochAndFullNeuronTables() throws {
        _ = try run(.successive)
        let folder = fixture.store(try fixture.root("successive-all"), name: Self.layers).networkFolder
        let csv = try String(contentsOf: MetricsFiles.csvFile(in: folder), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first.map(String.init), MetricsFiles.csvHeader)
        XCTAssertEqual(csv.count, 1 + (try fixture.metrics(try fixture.root("successive-all"), name: Self.layers)).count)
        for (block, units) in [(0, 12), (1, 8)] {
            let rows = try String(contentsOf: MetricsFiles.neuronFile(in: folder, block: block), encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(rows.count, 1 + units)
            let winShare = rows.dropFirst().compactMap { Float($0.split(separator: ",", omittingEmptySubsequences: false)[3]) }.reduce(0, +)
            XCTAssertEqual(winShare, 100, accuracy: 0.01, "win percentages of one epoch sum to 100 (bounded, quirk 18)")
        }
    }
}
