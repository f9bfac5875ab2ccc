import Foundation
import HebbData
import HebbModel
import HebbRules
import XCTest

@testable import HebbExperiment

/// Layer strings of the `oja`, `hebb` and `wta` prefixes and of the learning-rate modes v2–v4:
/// parsing, defaults, rendering, validation, phase planning and schedules.
final class LocalRuleLayerStringTests: XCTestCase {
    private let mnist = DataShape(channels: 1, height: 28, width: 28, classCount: 10)

    private func parse(_ s: String, _ arch: Architecture = .mlp) throws -> LayerConfig {
        try LayerString.parse(s, over: .defaults(for: arch))
    }

    private func resolve(_ layers: String) throws -> ResolvedModel {
        try ModelBuilder.resolve(PresetLibrary.builtin().resolve(layers), data: mnist)
    }

    /// The one-line message of a configuration error thrown by `body`.
    private func failure(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try body()
            XCTFail("no error", file: file, line: line)
            return ""
        } catch {
            XCTAssertFalse("\(error)".contains("\n"), file: file, line: line)
            return "\(error)"
        }
    }

    func testOjaAndHebb_prefixes_setKindAndDefaults() throws {
        let oja = try parse("oja-c100-lr0.01")
        XCTAssertEqual([oja.kind], [.oja])
        XCTAssertEqual(oja.outChannels, 100)
        XCTAssertEqual(oja.learningRate, 0.01)
        XCTAssertEqual(oja.effectiveRateMode, .constant, "a fixed rate unless v says otherwise")
        XCTAssertEqual(oja.radius, 1, "start at Oja's fixed point, unit norm")
        let hebb = try parse("Hebb-c100-lr0.01-wd0.001-norm1")
        XCTAssertEqual(hebb.kind, .plainHebbian)
        XCTAssertEqual(hebb.weightDecay, 0.001)
        XCTAssertEqual(hebb.unitNormalisation, true)
        XCTAssertEqual(ModelBuilder.rule(for: hebb) as? PlainHebbian, PlainHebbian(weightDecay: 0.001, normalisesUnits: true))
        XCTAssertEqual(ModelBuilder.rule(for: oja) as? Oja, Oja())
    }

    func testWta_everyToken_setsItsField() throws {
        let c = try parse("wta-c96-k5-lr0.01-simeuclid-updhebb-anti0.2-som8x12-tau500-teach8-v3-lrmin0.01", .cnn)
        XCTAssertEqual(c.kind, .winnerTakeAll)
        XCTAssertEqual(c.kernelSize, 5)
        XCTAssertEqual(c.learningRate, 0.01)
        XCTAssertEqual(c.similarity, .euclidean)
        XCTAssertEqual(c.modulation, .hebbian)
        XCTAssertEqual(c.loserStrength, 0.2)
        XCTAssertEqual(c.neighbourhoodMap, [8, 12])
        XCTAssertEqual(c.timeConstant, 500)
        XCTAssertEqual(c.kernelsPerClass, 8)
        XCTAssertEqual(c.effectiveRateMode, .exponentialDecay)
        XCTAssertEqual(c.minimumLearningRate, 0.01)
        let plain = try parse("wta-c96-k5", .cnn)
        XCTAssertEqual(plain.learningRate, 0.1, "Lagani's η")
        XCTAssertEqual(plain.similarity, .angular, "Lagani's cosine layers")
        XCTAssertEqual(plain.initialisation, .fanInUniform)
        XCTAssertEqual(plain.effectiveRateMode, .constant)
    }

    func testRateModes_v0ToV4_andRefusesOthers() throws {
        XCTAssertEqual(try LearningRateMode.allCases.map { try parse("soft-c10-v\($0.rawValue)").effectiveRateMode }, LearningRateMode.allCases)
        XCTAssertNil(try parse("soft-c10-v1").rateMode, "v0/v1 keep SoftHebb's field alone")
        XCTAssertTrue(try parse("soft-c10-v1").adaptive)
        XCTAssertTrue(failure { try self.parse("soft-c10-v5") }.contains("token 'v5' has a bad value"))
    }

    func testRender_roundTripsTheNewTokens() throws {
        for (string, arch) in [
            ("oja-c100-lr0.01", Architecture.mlp), ("hebb-c50-wd0.01-norm1-v2", .mlp),
            ("wta-c96-k5-simeuclid-updhebb-anti0.2-som8x12-tau500-teach8-v3-lrmin0.01", .cnn), ("wta-c10-simproj-teach1", .mlp),
        ] {
            let parsed = try parse(string, arch)
            let rendered = LayerString.render(parsed)
            XCTAssertEqual(try parse(rendered, arch), parsed, "\(string) → \(rendered)")
        }
        XCTAssertEqual(LayerString.render(try parse("hardkrotov-c10-v2")), "hardkrotov-c10-b0-t10-lr0.05-lp0.2-lb2-r10-v2-a0.1-rank3")
    }

    func testBadTokenValues_areErrorsWithHints() {
        for (string, fragment) in [
            ("wta-c10-simcosine", "sim is the similarity: dot, proj, angular or euclid"), ("wta-c10-som8x", "som8x"),
            ("wta-c10-teach0", "teach0"), ("wta-c10-updsoft", "upd"), ("hebb-c10-norm2", "norm2"), ("wta-c10-tau0", "tau0"),
            ("wta-c10-sim", "e.g. simangular"),
        ] {
            XCTAssertTrue(failure { try self.parse(string) }.contains(fragment), "\(string): \(failure { try self.parse(string) })")
        }
    }

    func testModelBuilder_refusesOptionsOutsideTheirRule() {
        let cases = [
            ("soft-c20-teach2+BP-c10", "belong to wta layers"), ("wta-c20-wd0.1+BP-c10", "belong to hebb layers"),
            ("wta-c20-som4x4+BP-c10", "SOM map 4x4 must hold exactly the 20 units"),
            ("wta-c15-teach2+BP-c10", "2 kernels per class × 10 classes exceed the 15 units"),
            ("wta-c20-lb3+BP-c10", "needs lb2"), ("soft-c20+BP-c10-simangular", "needs a Hebbian layer"),
        ]
        for (layers, fragment) in cases {
            let message = failure { try self.resolve(layers) }
            XCTAssertTrue(message.contains(fragment), "\(layers): \(message)")
        }
    }

    func testTeacherLayers_trainInSupervisedPhases() throws {
        let model = try resolve("wta-c20-k5:relu:max_2_2_0+wta-c30-k3-teach2:relu+wta-c10-simproj-teach1")
        XCTAssertEqual(model.blocks.map(\.config.layer.learnsFromLabels), [false, true, true])
        let phases = try Phase.plan(
            model: model, mode: .consecutive, trainingBlocks: nil,
            unsupervised: DatasetCatalog.resolve(key: "MNIST_1"), supervised: DatasetCatalog.resolve(key: "MNIST_10"))
        XCTAssertEqual(phases.map { "\($0.kind.rawValue)\($0.blocks)" }, ["unsupervised[0]", "supervised[1, 2]"])
        guard case .symmetricUniform(let bound)? = model.blocks[0].initialisation else { return XCTFail("wta init") }
        XCTAssertEqual(bound, 1 / 5, accuracy: 1e-7, "U(±1/√(1·5·5))")
    }

    func testTrainerSchedules_followTheRateMode() throws {
        let model = try resolve("hardkrotov-c20-v2-lr0.04+oja-c10-lr0.01+wta-c10-v3-tau200-lrmin0.01+BP-c10")
        let trainer = Trainer(model: Model(blocks: []), resolved: model)
        let phase = Phase(kind: .unsupervised, blocks: [0, 1, 2], datasetKey: "MNIST", epochs: 4, batchSize: 100, learningRate: nil)
        XCTAssertEqual(trainer.schedule(block: 0, phase: phase, trainCount: 1050), .epochLinearDecay(base: 0.04, updatesPerEpoch: 11, epochs: 4))
        XCTAssertEqual(trainer.schedule(block: 1, phase: phase, trainCount: 1050), .constant(0.01))
        XCTAssertEqual(trainer.schedule(block: 2, phase: phase, trainCount: 1050), .exponentialDecay(base: 0.1, timeConstant: 200, minimum: 0.01))
    }

    func testKrotovPresets_decayPerEpochAsTheNotebook_andDrawUnitNormalWeights() throws {
        let mlp = try resolve("KrotovMlpMNIST")
        XCTAssertEqual(mlp.blocks[0].config.layer.effectiveRateMode, .linearDecay, "v0: after every update")
        guard case .normal(let sigma)? = mlp.blocks[0].initialisation else { return XCTFail("normal init") }
        XCTAssertEqual(sigma, 1, accuracy: 1e-4, "the notebook's N(0, 1)")
        let hopfield = try resolve("KrotovHopfieldMNIST")
        XCTAssertEqual(hopfield.blocks[0].config.layer.effectiveRateMode, .epochLinearDecay, "eps0·(1 − nep/Nep)")
        let conv = try resolve("KrotovCnnFashionMNIST")
        XCTAssertEqual(conv.blocks[0].config.layer.effectiveRateMode, .epochLinearDecay, "PyTorch-Hebbian's LambdaLR per epoch")
    }

    func testPresetFileOverrides_reachTheOptionalFields() throws {
        let json = """
            {"model": {"SOM": {"description": "Lagani's SOM conv1.",
              "b0": {"arch": "CNN", "preset": "wta-c96-k5", "layer": {"neighbourhoodMap": [8, 12], "timeConstant": 500, "rateMode": 3}},
              "b1": {"arch": "MLP", "preset": "BP-c10", "operation": "flatten"}}}}
            """
        let layer = try PresetLibrary(json: Data(json.utf8), source: "test").resolve("SOM").blocks[0].layer
        XCTAssertEqual(layer.neighbourhoodMap, [8, 12])
        XCTAssertEqual(layer.timeConstant, 500)
        XCTAssertEqual(layer.effectiveRateMode, .exponentialDecay)
        let bad = "{\"model\": {\"X\": {\"b0\": {\"arch\": \"MLP\", \"preset\": \"wta-c10\", \"layer\": {\"neighbourhodMap\": [2, 5]}}}}}"
        XCTAssertTrue(failure { try PresetLibrary(json: Data(bad.utf8), source: "t").resolve("X") }.contains("did you mean 'neighbourhoodMap'"))
    }
}
