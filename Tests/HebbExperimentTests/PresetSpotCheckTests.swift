import Foundation
import HebbModel
import HebbRules
import XCTest

@testable import HebbExperiment

/// Spot checks of single presets against SoftHebb spec §1.7, and hebb's own presets (name lists
/// from `PresetCatalogTests`).
final class PresetSpotCheckTests: XCTestCase {
    private func library() throws -> PresetLibrary { try PresetFixture.library() }
    private func model(_ name: String) throws -> ModelConfig { try PresetFixture.model(name) }
    private func rawBlocks(_ name: String) throws -> [[String: Any]] { try PresetFixture.rawBlocks(name) }

    // MARK: - Spec §1.7 spot checks

    func testSpot_4SoftHebbCnnCIFAR_block1() throws {
        let b1 = try model("4SoftHebbCnnCIFAR").blocks[1]
        XCTAssertEqual(b1.layer.arch, .cnn)
        XCTAssertEqual(b1.layer.kind, .softKrotov)
        XCTAssertEqual(b1.layer.outChannels, 384)
        XCTAssertEqual(b1.layer.kernelSize, 3)
        XCTAssertEqual(b1.layer.padding, 1)
        XCTAssertEqual([b1.layer.stride, b1.layer.dilation, b1.layer.groups], [1, 1, 1])
        XCTAssertFalse(b1.layer.addBias)
        XCTAssertFalse(b1.layer.preTriangle)
        XCTAssertEqual(b1.layer.inverseTemperature, 0.65)
        XCTAssertEqual(b1.layer.learningRate, 0.005)
        XCTAssertEqual(b1.layer.powerLearningRate, 0.5)
        XCTAssertEqual(b1.layer.radius, 25)
        XCTAssertTrue(b1.layer.adaptive)
        XCTAssertEqual(b1.pool, "max_4_2_1")
        XCTAssertEqual(b1.activation, .triangle(power: 1.4))
        XCTAssertEqual(b1.operations, try InputOperations(parsing: "batchnorm2d"))
        XCTAssertNil(b1.dropout)
        XCTAssertFalse(b1.outputBatchNorm)
    }

    func testSpot_4SoftHebbCnnCIFAR_allBlocks() throws {
        let blocks = try model("4SoftHebbCnnCIFAR").blocks
        XCTAssertEqual(blocks.map(\.layer.outChannels), [96, 384, 1536, 10])
        XCTAssertEqual(blocks.map(\.pool), ["max_4_2_1", "max_4_2_1", "avg_2_2_0", nil])
        XCTAssertEqual(blocks.map(\.activation), [.triangle(power: 0.7), .triangle(power: 1.4), .triangle(power: 1), .identity])
        XCTAssertEqual(blocks[0...2].map(\.layer.inverseTemperature), [1, 0.65, 0.25])
        XCTAssertEqual(blocks[0...2].map(\.layer.learningRate), [0.08, 0.005, 0.01])
        XCTAssertEqual(blocks[3].layer.kind, .backprop)
        XCTAssertTrue(blocks[3].operations.flatten)
        XCTAssertEqual(blocks[3].dropout, 0.5)
    }

    func testSpot_6HardCnnImNet_groupedBlock() throws {
        let blocks = try model("6HardCnnImNet").blocks
        XCTAssertEqual(blocks.count, 6)
        let b4 = blocks[4].layer
        XCTAssertEqual(b4.kind, .hard)
        XCTAssertEqual(b4.groups, 768)
        XCTAssertEqual(b4.outChannels, 12288)
        XCTAssertEqual([b4.kernelSize, b4.padding], [1, 0])
        XCTAssertEqual(b4.inverseTemperature, 10)
        XCTAssertEqual(b4.learningRate, 0.02)
        XCTAssertEqual(b4.radius, 25, "no r token → CNN default radius")
        XCTAssertEqual(blocks[4].pool, "max_2_2_0")
        XCTAssertEqual(blocks[5].layer.outChannels, 1000)
        // Spec §1.8: 4 input channels and 16 filters per group, fan-in 4 ⇒ σ = 12.5.
        let fanIn = 3072 / b4.groups * b4.kernelSize * b4.kernelSize
        XCTAssertEqual(fanIn, 4)
        XCTAssertEqual(b4.outChannels! / b4.groups, 16)
        XCTAssertEqual(WeightInitialisation.normal(radius: b4.radius, lebesguePower: b4.lebesguePower, fanIn: fanIn).scale, 12.5, accuracy: 1e-4)
    }

    func testSpot_noBatchNorm_convBlocksHaveNoOperation() throws {
        let blocks = try model("4SoftHebbCnnCIFAR_noBatchNorm").blocks
        for block in blocks[0...2] {
            XCTAssertEqual(block.operations, InputOperations())
            XCTAssertFalse(block.operations.normalisesInput, "positive-uniform init")
        }
        for raw in try rawBlocks("4SoftHebbCnnCIFAR_noBatchNorm")[0...2] { XCTAssertNil(raw["operation"]) }
        XCTAssertTrue(blocks[3].operations.flatten)
        var expected = try model("4SoftHebbCnnCIFAR").blocks
        for i in 0...2 { expected[i].operations = InputOperations() }
        XCTAssertEqual(blocks, expected)
    }

    func testSpot_HebbClassifier_lastBlockIsSupervisedHebbian() throws {
        let blocks = try model("4SoftHebbCnnCIFAR_HebbClassifier").blocks
        XCTAssertEqual(Array(blocks[0...2]), Array(try model("4SoftHebbCnnCIFAR").blocks[0...2]))
        let last = try XCTUnwrap(blocks.last)
        XCTAssertEqual(last.layer.arch, .mlp)
        XCTAssertEqual(last.layer.kind, .supervisedSoftKrotov)
        XCTAssertEqual(last.layer.metricMode, "supervised")
        XCTAssertEqual(last.layer.outChannels, 10)
        XCTAssertEqual(last.layer.inverseTemperature, 12)
        XCTAssertEqual(last.layer.learningRate, 0.045)
        XCTAssertEqual(last.layer.radius, 35)
        XCTAssertFalse(last.layer.adaptive)
        XCTAssertTrue(last.operations.flatten)
        XCTAssertNil(last.dropout)
    }

    func testSpot_widthVariants() throws {
        let widths: [String: [Int]] = [
            "4SoftHebbCnnCIFAR_doubleNeurons": [192, 768, 3072], "4SoftHebbCnnCIFAR_halfNeurons": [48, 192, 768],
            "4SoftHebbCnnCIFAR_quarterNeurons": [24, 96, 384], "4SoftHebbCnnCIFAR_wf2": [96, 192, 384],
            "4SoftHebbCnnCIFAR_wf1": [96, 96, 96],
        ]
        let base = try model("4SoftHebbCnnCIFAR").blocks
        for (name, w) in widths {
            var expected = base
            for i in 0...2 { expected[i].layer.outChannels = w[i] }
            XCTAssertEqual(try model(name).blocks, expected, name)
        }
        let three = try model("3SoftHebbCnnCIFAR").blocks
        XCTAssertTrue(three[1].layer.preTriangle, "e1")
        XCTAssertEqual(three.map(\.pool), ["avg_4_2_1", "max_4_2_1", nil])
        for (name, c) in [("3SoftHebbCnnCIFAR_wf2", 192), ("3SoftHebbCnnCIFAR_wf1", 96)] {
            var expected = three
            expected[1].layer.outChannels = c
            XCTAssertEqual(try model(name).blocks, expected, name)
        }
    }

    func testSpot_hardCifarPresets() throws {
        let two = try model("2HardCnnCIFAR").blocks[0].layer
        XCTAssertEqual(two.kind, .hard)
        XCTAssertEqual(two.inverseTemperature, 96, "t absent ⇒ CNN default")
        XCTAssertEqual([two.learningRate, two.powerLearningRate], [0.08, 0.5])
        XCTAssertTrue(two.adaptive)
        let speed = try model("2HardCnnCIFAR_speed").blocks[0].layer
        XCTAssertEqual([speed.learningRate, speed.radius], [0.05, 10])
        let decay = try model("2HardCnnCIFA_speed_linearDecay").blocks[0].layer
        XCTAssertEqual([decay.learningRate, decay.radius, decay.powerLearningRate], [0.025, 10, 0.75])
        XCTAssertFalse(decay.adaptive)
        let four = try model("4HardCnnCIFAR").blocks
        XCTAssertEqual(four[0...2].map(\.layer.padding), [1, 1, 0])
        XCTAssertEqual(four[0...2].map(\.layer.inverseTemperature), [1, 0.8, 0.5])
        XCTAssertEqual(four[0...2].map(\.layer.powerLearningRate), [0.75, 0.75, 0.75])
        XCTAssertEqual(four.map(\.pool), ["max_4_2_1", "max_4_2_1", "max_2_2_0", nil])
        XCTAssertEqual(four[0].activation, .triangle(power: 1))
        let three = try model("3HardCnnCIFAR").blocks
        XCTAssertEqual(three[0...1].map(\.layer.padding), [1, 1])
        XCTAssertEqual(three[0...1].map(\.layer.learningRate), [0.05, 0.05])
    }

    func testSpot_backpropBaselines() throws {
        let two = try model("2CnnCIFAR").blocks
        XCTAssertEqual(two[0].layer.kind, .backprop)
        XCTAssertEqual(two[0].activation, .relu)
        XCTAssertEqual(two[0].pool, "avg_4_2_1")
        let four = try model("4CnnCIFAR").blocks
        XCTAssertEqual(four[2].layer.groups, 192)
        XCTAssertEqual(four[2].layer.outChannels, 1536)
        XCTAssertEqual(four[2].pool, "max_2_2_0")
        let stl = try model("4CnnSTL").blocks
        XCTAssertEqual(stl[0...2].map(\.layer.kernelSize), [7, 5, 3])
        XCTAssertEqual(stl[3].dropout, 0.4)
        let stl5 = try model("5CnnSTL").blocks
        XCTAssertEqual(Array(stl5[0...2]), Array(stl[0...2]))
        XCTAssertEqual(stl5[3].layer.outChannels, 6144)
        XCTAssertEqual(stl5[3].pool, "avg_2_2_0")
        XCTAssertEqual(stl5[4].dropout, 0.5)
        let im2 = try model("2CnnImNet").blocks[0]
        XCTAssertEqual(im2.activation, .triangle(power: 1), "2CnnImNet uses triangle")
        for (name, dropout) in [("3CnnImNet", Float(0.5)), ("4CnnImNet", 0.4), ("5CnnImNet", 0.5)] {
            let blocks = try model(name).blocks
            XCTAssertTrue(blocks.dropLast().allSatisfy { $0.activation == .relu && $0.layer.kind == .backprop }, name)
            XCTAssertEqual(blocks.last?.dropout, dropout, name)
            let soft = try model(name.replacingOccurrences(of: "Cnn", with: "SoftHebbCnn")).blocks
            XCTAssertEqual(blocks.map(\.layer.outChannels), soft.map(\.layer.outChannels), name)
            XCTAssertEqual(blocks.map(\.layer.kernelSize), soft.map(\.layer.kernelSize), name)
            XCTAssertEqual(blocks.map(\.pool), soft.map(\.pool), name)
        }
        let six = try model("6CnnImNet").blocks
        XCTAssertEqual(six[4].layer.groups, 768)
        XCTAssertEqual(six[4].pool, "max_4_2_1")
        XCTAssertTrue(six.dropLast().allSatisfy { $0.activation == .triangle(power: 1) })
    }

    func testSpot_stlAndImageNetSoftHebb() throws {
        let stl = try model("5SoftHebbCnnSTL").blocks
        XCTAssertEqual(stl.map(\.layer.outChannels), [96, 384, 1536, 6144, 10])
        XCTAssertEqual(stl[0...3].map(\.layer.inverseTemperature), [1, 0.65, 0.45, 0.25])
        XCTAssertEqual(stl[0...3].map(\.layer.learningRate), [0.08, 0.005, 0.01, 0.01])
        XCTAssertEqual(stl.map(\.pool), ["avg_4_2_1", "max_4_2_1", "avg_4_2_1", "avg_2_2_0", nil])
        XCTAssertEqual(stl[0...3].map(\.activation), [.triangle(power: 0.7), .triangle(power: 0.7), .triangle(power: 1.4), .triangle(power: 1)])
        let stl4 = try model("4SoftHebbCnnSTL").blocks
        XCTAssertEqual(stl4[0...2].map(\.activation), [.triangle(power: 0.7), .triangle(power: 1.4), .triangle(power: 1)])
        XCTAssertEqual(stl4[0...2].map(\.layer), stl[0...2].map(\.layer))
        XCTAssertEqual(stl4[3].dropout, 0.4)
        let six = try model("6SoftHebbCnnImNet").blocks
        XCTAssertEqual(six.map(\.layer.outChannels), [48, 192, 768, 3072, 12288, 1000])
        XCTAssertEqual(six[0...4].map(\.layer.powerLearningRate), [0.75, 0.75, 0.75, 0.75, 0.75], "no lp ⇒ 0.75")
        XCTAssertEqual(six[0...4].map(\.layer.radius), [25, 25, 25, 25, 25], "no r ⇒ 25")
        XCTAssertEqual(six[0...4].map(\.layer.inverseTemperature), [1.1, 0.7, 0.5, 0.4, 0.25])
        XCTAssertEqual(six[0...4].map(\.layer.learningRate), [0.08, 0.01, 0.01, 0.01, 0.01])
        let im5 = try model("5SoftHebbCnnImNet").blocks
        XCTAssertEqual(im5[0...3].map(\.layer.radius), [2, 2, 2, 2])
        XCTAssertEqual(im5[0...3].map(\.layer.inverseTemperature), [1, 0.7, 0.7, 0.5])
        XCTAssertEqual(im5[0...3].map(\.layer.learningRate), [0.05, 0.03, 0.02, 0.01])
        let im3 = try model("3SoftHebbCnnImNet").blocks
        XCTAssertEqual(im3[0].layer.learningRate, 0.07)
        let hard5 = try model("5HardCnnImNet").blocks
        XCTAssertEqual(hard5.dropLast().map(\.layer.kind), [.hard, .hard, .hard, .hard])
        XCTAssertEqual(hard5.dropLast().map { $0.layer.outChannels }, im5.dropLast().map { $0.layer.outChannels })
    }


    // MARK: - hebb's presets

    func testReadmePresets_definitions() throws {
        let soft2 = try model("2SoftHebbCnnCIFAR").blocks
        XCTAssertEqual(try model("SoftKrotovCnnCIFAR").blocks, soft2)
        XCTAssertEqual(try model("2HebbCnn").blocks, soft2)

        var hardMlp = try model("2SoftMlpMNIST").blocks
        hardMlp[0].layer.kind = .hard
        XCTAssertEqual(try model("2HardMLPMNIST").blocks, hardMlp)

        let stl = try model("5SoftHebbCnnSTL").blocks
        let hard = try model("5HardCnnSTL").blocks
        XCTAssertEqual(hard.count, stl.count)
        XCTAssertEqual(hard.map(\.layer.outChannels), stl.map(\.layer.outChannels))
        for (h, s) in zip(hard, stl) {
            XCTAssertEqual([h.layer.kernelSize, h.layer.padding, h.layer.stride], [s.layer.kernelSize, s.layer.padding, s.layer.stride])
            XCTAssertEqual(h.pool, s.pool)
            XCTAssertEqual(h.activation, s.activation)
            XCTAssertEqual(h.operations, s.operations)
            XCTAssertEqual(h.dropout, s.dropout)
        }
        XCTAssertEqual(hard.dropLast().map(\.layer.kind), [.hard, .hard, .hard, .hard])
        XCTAssertEqual(hard[0].layer, try model("2HardCnnCIFAR").blocks[0].layer, "first layer as 2HardCnnCIFAR")
        XCTAssertEqual(hard[1...3].map(\.layer.learningRate), [0.05, 0.05, 0.05], "deeper layers as 3/4HardCnnCIFAR")
        XCTAssertEqual(hard[1...3].map(\.layer.powerLearningRate), [0.75, 0.75, 0.75])
    }

    func testKrotovCnnFashionMNIST_isPytorchHebbianConv1Model() throws {
        let blocks = try model("KrotovCnnFashionMNIST").blocks
        XCTAssertEqual(blocks.count, 2)
        let conv = blocks[0]
        XCTAssertEqual(conv.layer.arch, .cnn)
        XCTAssertEqual(conv.layer.kind, .hardKrotov)
        XCTAssertEqual(conv.layer.outChannels, 400)
        XCTAssertEqual([conv.layer.kernelSize, conv.layer.padding, conv.layer.stride, conv.layer.groups], [5, 0, 1, 1])
        XCTAssertFalse(conv.layer.addBias)
        // mnist-fashion-conv.json: delta 0.4, k 4, norm 4, lr 0.04, linear decay (LambdaLR 1 − epoch/epochs).
        XCTAssertEqual(conv.layer.lebesguePower, 4)
        XCTAssertEqual(conv.layer.rankingK, 4)
        XCTAssertEqual(conv.layer.antiHebbianStrength, 0.4)
        XCTAssertEqual(conv.layer.learningRate, 0.04)
        XCTAssertFalse(conv.layer.adaptive)
        XCTAssertEqual(conv.layer.initialisation, .normal, "KrotovsRule.init_layers draws N(0, 1)")
        XCTAssertEqual(conv.operations, InputOperations(), "ToTensor only, no input normalisation")
        XCTAssertTrue(conv.outputBatchNorm)
        XCTAssertEqual(conv.activation, .relu, "RePU with n = 1")
        XCTAssertEqual(conv.pool, "max_2_2_0")
        XCTAssertNil(conv.dropout)
        let head = blocks[1]
        XCTAssertEqual(head.layer.kind, .backprop)
        XCTAssertTrue(head.operations.flatten)
        XCTAssertNil(head.dropout)
    }

    func testMlpPresets_resolveThroughModelBuilder() throws {
        let mnist = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        for name in ["2SoftMlpMNIST", "2SoftMlpMNIST_linearDecay", "KrotovMlpMNIST", "2HardMLPMNIST"] {
            let resolved = try ModelBuilder.resolve(model(name), data: mnist)
            XCTAssertEqual(resolved.blocks.map(\.outputFeatures), [2000, 10], name)
            XCTAssertEqual(resolved.blocks[0].inputFeatures, 784, name)
        }
        let hard = try ModelBuilder.resolve(model("2HardMLPMNIST"), data: mnist)
        XCTAssertEqual(ModelBuilder.rule(for: hard.blocks[0].config.layer).map { String(describing: type(of: $0)) }, "HardWinnerTakeAll")
    }
}
