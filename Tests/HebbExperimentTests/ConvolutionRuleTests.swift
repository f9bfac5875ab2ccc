import Foundation
import HebbModel
import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// One Hebbian conv update: against `scripts/reference/conv_rule.py` (NumPy, direct convolution
/// formula, no im2col), and against the linear rule applied to patches cut out by the plain
/// `Reference.unfold` oracle (explicitly padded image, loops).
final class ConvolutionRuleTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable {
            var name: String, rule: String
            var B: Int, C: Int, H: Int, W: Int, O: Int, kernel: Int
            var stride: Int, padding: Int, dilation: Int, groups: Int
            var t: Float, rankingK: Int, delta: Float
            var x: [Float], weight: [Float], u: [Float], deltaW: [Float]
        }
        var cases: [Case]
    }

    static func loadGolden() throws -> Golden {
        let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("HebbRulesTests/Golden/conv.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    static func rule(_ c: Golden.Case) -> any LearningRule {
        switch c.rule {
        case "soft": return SoftHebb(inverseTemperature: c.t, antiHebbian: false)
        case "softkrotov": return SoftHebb(inverseTemperature: c.t, antiHebbian: true)
        case "hard": return HardWinnerTakeAll()
        default: return KrotovHopfield(rankingK: c.rankingK, antiHebbianStrength: c.delta)
        }
    }

    static func geometry(_ c: Golden.Case) -> ConvolutionGeometry {
        ConvolutionGeometry(
            inputChannels: c.C, inputHeight: c.H, inputWidth: c.W, outputChannels: c.O, kernelSize: c.kernel,
            stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups, paddingMode: .reflect)
    }

    /// The normalised change the training loop applies for a conv layer on `x`.
    static func convDelta(_ layer: HebbianLayer, _ x: Tensor, rule: any LearningRule) -> (currents: Tensor, delta: Tensor) {
        var block = Block(inputNorm: nil, dropout: nil, layer: .hebbian(layer), activation: .identity, outputNorm: nil)
        var rng = SeededGenerator(seed: 0)
        let trace = block.forward(x, training: true, currentsOnly: true, using: &rng)
        var buffer = Tensor.zeros(layer.weight.shape)
        var tally = WinTally(units: layer.outputChannels)
        let maximum = HebbianStep.computeDelta(rule: rule, trace: trace, layer: layer, into: &buffer, tally: &tally)
        return (trace.currents, (1 / (maximum + HebbianDelta.normaliserFloor)) * buffer)
    }

    func testConvUpdateMatchesNumPyReference() throws {
        let golden = try Self.loadGolden()
        XCTAssertEqual(golden.cases.count, 5)
        for c in golden.cases {
            let geometry = Self.geometry(c)
            let layer = HebbianLayer(weight: Tensor(shape: [c.O, geometry.patchWidth], scalars: c.weight), lebesguePower: 2, geometry: geometry)
            let x = Tensor(shape: [c.B, c.C * c.H * c.W], scalars: c.x)
            let (currents, delta) = Self.convDelta(layer, x, rule: Self.rule(c))
            assertClose(currents, Tensor(shape: currents.shape, scalars: c.u), atol: 1e-4, rtol: 1e-4, "\(c.name) currents")
            assertClose(delta, Tensor(shape: delta.shape, scalars: c.deltaW), atol: 1e-4, rtol: 1e-3, "\(c.name) ΔW")
            XCTAssertEqual(delta.maxAbsolute(), 1, accuracy: 1e-5, c.name)
        }
    }

    func testConvUpdateEqualsLinearRuleOnUnfoldedPatches() {
        var rng = SeededGenerator(seed: 42)
        let geometry = ConvolutionGeometry(
            inputChannels: 3, inputHeight: 9, inputWidth: 8, outputChannels: 6, kernelSize: 3, stride: 2,
            padding: 1, dilation: 1, groups: 1, paddingMode: .reflect)
        let weight = Tensor.uniform([6, geometry.patchWidth], low: -0.5, high: 0.5, using: &rng)
        let x = Tensor.uniform([3, 3 * 9 * 8], low: 0, high: 1, using: &rng)
        for rule in [SoftHebb(inverseTemperature: 1, antiHebbian: true), SoftHebb(inverseTemperature: 3, antiHebbian: false)] as [any LearningRule] {
            let conv = Self.convDelta(HebbianLayer(weight: weight, lebesguePower: 2, geometry: geometry), x, rule: rule).delta
            let patches = Reference.unfold(x, geometry: geometry)
            let linear = Self.convDelta(HebbianLayer(weight: weight, lebesguePower: 2), patches, rule: rule).delta
            assertClose(conv, linear, atol: 1e-5, rtol: 1e-4, "conv vs linear on patches")
        }
        let krotov = KrotovHopfield(rankingK: 2, antiHebbianStrength: 0.4)
        let conv = Self.convDelta(HebbianLayer(weight: weight, lebesguePower: 3, geometry: geometry), x, rule: krotov).delta
        let linear = Self.convDelta(HebbianLayer(weight: weight, lebesguePower: 3), Reference.unfold(x, geometry: geometry), rule: krotov).delta
        assertClose(conv, linear, atol: 1e-5, rtol: 1e-4, "Krotov p = 3, conv vs linear on patches")
    }
}
