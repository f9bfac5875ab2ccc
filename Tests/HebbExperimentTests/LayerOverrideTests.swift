import Foundation
import HebbTensor
import XCTest

@testable import HebbExperiment

final class LayerOverrideTests: XCTestCase {
    private func model(_ preset: String) throws -> ModelConfig { try PresetLibrary.builtin().resolve(preset) }

    private func applied(_ overrides: [String], to preset: String) throws -> ModelConfig {
        try LayerOverride.apply(overrides.map { try LayerOverride.parse($0) }, to: model(preset))
    }

    private func error(_ overrides: [String], _ preset: String = "2SoftMlpMNIST") -> String {
        do {
            _ = try applied(overrides, to: preset)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testTokenKeysPropertyNamesAndSoftHebbNames_setTheSameFields() throws {
        for (key, value) in [("r", "3.5"), ("radius", "3.5")] {
            XCTAssertEqual(try applied(["b0.\(key)=\(value)"], to: "2SoftMlpMNIST").blocks[0].layer.radius, 3.5)
        }
        for key in ["t", "t_invert", "inverseTemperature"] {
            XCTAssertEqual(try applied(["b0.\(key)=0.25"], to: "2SoftMlpMNIST").blocks[0].layer.inverseTemperature, 0.25)
        }
        let changed = try applied(["b0.kind=softkrotov", "b0.c=12", "b0.v=false", "b1.ls=0.01"], to: "2SoftMlpMNIST")
        XCTAssertEqual(changed.blocks[0].layer.kind, .softKrotov)
        XCTAssertEqual(changed.blocks[0].layer.outChannels, 12)
        XCTAssertFalse(changed.blocks[0].layer.adaptive)
        XCTAssertEqual(changed.blocks[1].layer.supervisedLearningRate, 0.01)
        // Nothing else moved.
        var expected = try model("2SoftMlpMNIST")
        expected.blocks[0].layer.kind = .softKrotov
        expected.blocks[0].layer.outChannels = 12
        expected.blocks[0].layer.adaptive = false
        expected.blocks[1].layer.supervisedLearningRate = 0.01
        XCTAssertEqual(changed, expected)
    }

    func testBlockList_appliesToPresentHebbianBlocksOnly() throws {
        // 2SoftMlpMNIST: b0 Hebbian, b1 BP, no b2 — as SoftHebb's regimes search.
        let changed = try applied(["b0,b1,b2.softness=softkrotov", "b0,b1,b2.t_invert=2"], to: "2SoftMlpMNIST")
        XCTAssertEqual(changed.blocks[0].layer.kind, .softKrotov)
        XCTAssertEqual(changed.blocks[0].layer.inverseTemperature, 2)
        XCTAssertEqual(changed.blocks[1], try model("2SoftMlpMNIST").blocks[1])
        let cnn = try applied(["b0,b1,b2.t_invert=2"], to: "4SoftHebbCnnCIFAR")
        XCTAssertEqual(cnn.blocks.prefix(3).map(\.layer.inverseTemperature), [2, 2, 2])
        XCTAssertNotEqual(cnn.blocks[3].layer.inverseTemperature, 2)
    }

    func testErrors_nameOverrideBlockAndHint() {
        let cases: [([String], String)] = [
            (["radius=3"], "not BLOCK.KEY=VALUE"),
            (["b0.radius"], "not BLOCK.KEY=VALUE"),
            (["x0.radius=3"], "'x0' is not a block"),
            (["b0.raduis=3"], "did you mean 'radius'?"),
            (["b0.r="], "the value is empty"),
            (["b2.t=1"], "has no block b2 (its blocks are b0…b1)"),
            (["b0.r=-1"], "bad value '-1' for block b0"),
            (["b0.t=abc"], "softmax inverse temperature"),
            (["b0.c=0"], "bad value '0'"),
            (["b0.kind=sfot"], "did you mean 'soft'?"),
            (["b0.k=3"], "conv layers only"),
            (["b1,b5.t=1"], "none of these blocks is a Hebbian block"),
        ]
        for (overrides, fragment) in cases {
            let text = error(overrides)
            XCTAssertTrue(text.hasPrefix("bad override '"), "\(overrides): \(text)")
            XCTAssertTrue(text.contains("(--set)"), text)
            XCTAssertTrue(text.contains(fragment), "\(overrides): '\(fragment)' not in \(text)")
        }
    }

    func testOverridesAndUnsupervisedSeed_changeTheTrainedRun() throws {
        let fixture = try ExperimentFixture()
        defer { fixture.remove() }
        let plainRoot = try fixture.root("plain"), changedRoot = try fixture.root("changed")
        var plain = fixture.request(plainRoot)
        plain.seed = nil
        var changed = plain
        changed.dataRoot = changedRoot.path
        changed.overrides = try ["b0.c=12", "b0.radius=3"].map { try LayerOverride.parse($0) }
        changed.unsupervisedSeed = 2
        let plainSummary = try fixture.train(plain).summary
        let changedSummary = try fixture.train(changed).summary
        // The overrides reach the checkpoint: 12 units, radius 3 in the record.
        XCTAssertEqual(try fixture.tensors(plainRoot)["blocks.0.layer.weight"]?.shape, [16, 784])
        XCTAssertEqual(try fixture.tensors(changedRoot)["blocks.0.layer.weight"]?.shape, [12, 784])
        XCTAssertEqual(try fixture.record(changedRoot).model.blocks[0].config.layer.radius, 3)
        XCTAssertEqual(changedSummary.overrides, ["b0.c=12", "b0.radius=3"])
        // --seed-unsup: unsup data and init seeded with 2, sup seed stays 0 (SoftHebb's ray trials).
        XCTAssertEqual([changedSummary.seed, changedSummary.unsupervisedSeed, changedSummary.supervisedSeed], [2, 2, 0])
        XCTAssertEqual([plainSummary.seed, plainSummary.unsupervisedSeed, plainSummary.supervisedSeed], [0, 0, 0])
        let record = try fixture.record(changedRoot)
        XCTAssertEqual(record.seed, 2)
        let sameSeeds = BlockLineage(model: record.model, phases: record.phases, seed: 2, validation: (false, false))
        XCTAssertNotEqual(record.blockKeys, sameSeeds.final, "the sup data seed (0, not 2) is part of the classifier's lineage")
    }

    func testUnsupervisedSeed_seedsWeightInit() throws {
        let fixture = try ExperimentFixture()
        defer { fixture.remove() }
        let root = try fixture.root("init")
        var request = fixture.request(root)
        request.seed = nil
        request.unsupervisedSeed = 5
        request.mode = .consecutive
        request.trainingBlocks = [1]  // b0 stays at its initial weights
        _ = try fixture.train(request)
        let saved = try fixture.tensors(root)["blocks.0.layer.weight"]
        XCTAssertEqual(saved, try fixture.initialTensors(seed: 5)["blocks.0.layer.weight"])
        XCTAssertNotEqual(saved, try fixture.initialTensors(seed: 0)["blocks.0.layer.weight"])
    }
}
