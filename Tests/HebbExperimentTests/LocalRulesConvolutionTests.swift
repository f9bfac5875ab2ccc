import Foundation
import HebbModel
import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Lagani's rule and Oja's rule on conv layers, as the training loop runs them (layer string →
/// layer with its similarity → unfolded patches → rule → update), against
/// `scripts/reference/local_rules.py`'s loop port of Lagani's HebbianMap2d.
final class LocalRulesConvolutionTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable {
            struct Teacher: Decodable { var targets: [Int32], kernelsPerClass: Int, classCount: Int }
            var name: String, similarity: String?, modulation: String?, teacher: Teacher?
            var B: Int, C: Int, H: Int, W_: Int, kernel: Int, M: Int, N: Int, O: Int, eta: Float
            var x: [Float], W: [Float], s: [Float], deltaW: [Float], updated: [Float]
        }
        var conv: [Case]
    }

    private func golden() throws -> [Golden.Case] {
        let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("HebbRulesTests/Golden/local_rules.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url)).conv
    }

    /// The layer string a case stands for.
    private func layerString(_ c: Golden.Case) -> String {
        guard let similarity = c.similarity else { return "oja-c\(c.O)-k\(c.kernel)-p0-lr\(c.eta)" }
        var string = "wta-c\(c.O)-k\(c.kernel)-p0-lr\(c.eta)-sim\(similarity)-upd\(c.modulation ?? "base")"
        if let teacher = c.teacher { string += "-teach\(teacher.kernelsPerClass)" }
        return string
    }

    func testConvCases_matchReference_throughTheTrainingPath() throws {
        let cases = try golden()
        XCTAssertEqual(cases.map(\.name), ["wta_conv_angular_teacher", "wta_conv_euclid_hebb", "oja_conv"])
        for c in cases {
            let layerConfig = try LayerString.parse(layerString(c), over: .defaults(for: .cnn))
            let geometry = ConvolutionGeometry(
                inputChannels: c.C, inputHeight: c.H, inputWidth: c.W_, outputChannels: c.O, kernelSize: c.kernel,
                stride: 1, padding: 0, dilation: 1, groups: 1, paddingMode: .reflect)
            var layer = HebbianLayer(
                weight: Tensor(shape: [c.O, c.N], scalars: c.W), lebesguePower: 2, geometry: geometry,
                similarity: layerConfig.similarity ?? .dot)
            var block = Block(inputNorm: nil, dropout: nil, layer: .hebbian(layer), activation: .relu, outputNorm: nil)
            var rng = SeededGenerator(seed: 0)
            let trace = block.forward(Tensor(shape: [c.B, c.C * c.H * c.W_], scalars: c.x), training: true, currentsOnly: true, using: &rng)
            assertClose(trace.positionCurrents, Tensor(shape: [c.M, c.O], scalars: c.s), atol: 1e-5, rtol: 1e-5, "\(c.name) similarities")

            let batch = RuleBatch(labels: c.teacher?.targets, positions: geometry.positions, updateIndex: 0, classCount: c.teacher?.classCount ?? 10)
            let rule = try XCTUnwrap(ModelBuilder.rule(for: layerConfig, batch: batch), c.name)
            var buffer = Tensor.zeros(layer.weight.shape)
            var tally = WinTally(units: layer.outputChannels)
            let divisor = HebbianStep.computeDelta(rule: rule, trace: trace, layer: layer, into: &buffer, tally: &tally)
            XCTAssertEqual(divisor, 1, "\(c.name): rows already scaled (weighted average / batch mean)")
            assertClose(buffer, Tensor(shape: [c.O, c.N], scalars: c.deltaW), atol: 1e-5, rtol: 1e-4, "\(c.name) ΔW")
            layer.updateWeights {
                HebbianDelta.apply(raw: buffer, maxAbsolute: divisor, rates: [Float](repeating: layerConfig.learningRate, count: c.O), to: &$0)
            }
            assertClose(layer.weight, Tensor(shape: [c.O, c.N], scalars: c.updated), atol: 1e-5, rtol: 1e-4, "\(c.name) W + η·ΔW")
        }
    }

    func testTeacherRule_needsLabels_andRepeatsEachLabelOverPositions() throws {
        let config = try LayerString.parse("wta-c8-k3-teach2", over: .defaults(for: .cnn))
        XCTAssertTrue(config.learnsFromLabels)
        XCTAssertNil(ModelBuilder.rule(for: config), "no labels, no teacher rule")
        let batch = RuleBatch(labels: [1, 3], positions: 3, updateIndex: 0, classCount: 4)
        XCTAssertEqual(batch.rowTargets, [1, 1, 1, 3, 3, 3])
        let rule = try XCTUnwrap(ModelBuilder.rule(for: config, batch: batch) as? LaganiWinnerTakeAll)
        XCTAssertEqual(rule.teacher, ClassTeacher(targets: [1, 1, 1, 3, 3, 3], kernelsPerClass: 2, classCount: 4))
        XCTAssertEqual(rule.response, .raisedCosineSquared, "wta defaults to angular similarity")
    }

    func testSelfOrganisingMapRule_shrinksWithTheLayersUpdateCount() throws {
        let config = try LayerString.parse("wta-c96-k5-som8x12-tau500", over: .defaults(for: .cnn))
        let early = try XCTUnwrap(ModelBuilder.rule(for: config, batch: RuleBatch(labels: nil, positions: 1, updateIndex: 0, classCount: 10)) as? LaganiWinnerTakeAll)
        let late = try XCTUnwrap(ModelBuilder.rule(for: config, batch: RuleBatch(labels: nil, positions: 1, updateIndex: 250, classCount: 10)) as? LaganiWinnerTakeAll)
        XCTAssertEqual(early.neighbourhood?.width ?? 0, 5, accuracy: 1e-9)
        XCTAssertEqual(late.neighbourhood?.width ?? 0, 5.0.squareRoot(), accuracy: 1e-9, "σ₀^(1 − t/τ)")
    }
}
