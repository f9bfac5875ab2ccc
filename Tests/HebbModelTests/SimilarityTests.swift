import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// Lagani's similarities as Hebbian layer outputs: against `scripts/reference/local_rules.py`
/// (cosine, Gaussian and projection, fully connected and conv), and their input gradients
/// against central differences.
final class SimilarityTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable {
            var name: String, similarity: String?, M: Int, N: Int, O: Int
            var B: Int?, C: Int?, H: Int?, W_: Int?, kernel: Int?
            var x: [Float], W: [Float], s: [Float]
        }
        var wta: [Case]
        var conv: [Case]
    }

    private func golden() throws -> Golden {
        let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("HebbRulesTests/Golden/local_rules.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    func testFullyConnectedOutputs_matchReference() throws {
        let cases = try golden().wta
        XCTAssertEqual(Set(cases.compactMap(\.similarity)), ["angular", "euclid", "proj"])
        for c in cases {
            let similarity = try XCTUnwrap(Similarity(rawValue: c.similarity ?? ""), c.name)
            let layer = HebbianLayer(weight: Tensor(shape: [c.O, c.N], scalars: c.W), lebesguePower: 2, similarity: similarity)
            let out = layer.forward(Tensor(shape: [c.M, c.N], scalars: c.x))
            assertClose(out.currents, Tensor(shape: [c.M, c.O], scalars: c.s), atol: 1e-5, rtol: 1e-5, c.name)
        }
    }

    func testConvOutputs_matchReference_inPositionRows() throws {
        for c in try golden().conv where c.similarity != nil {
            let (b, channels, h, w, k) = (c.B ?? 0, c.C ?? 0, c.H ?? 0, c.W_ ?? 0, c.kernel ?? 0)
            let geometry = ConvolutionGeometry(
                inputChannels: channels, inputHeight: h, inputWidth: w, outputChannels: c.O, kernelSize: k, stride: 1,
                padding: 0, dilation: 1, groups: 1, paddingMode: .reflect)
            let layer = HebbianLayer(
                weight: Tensor(shape: [c.O, c.N], scalars: c.W), lebesguePower: 2, geometry: geometry,
                similarity: try XCTUnwrap(Similarity(rawValue: c.similarity ?? "")))
            let out = layer.forward(Tensor(shape: [b, channels * h * w], scalars: c.x))
            assertClose(out.positionCurrents, Tensor(shape: [c.M, c.O], scalars: c.s), atol: 1e-5, rtol: 1e-5, c.name)
        }
    }

    func testDot_leavesCurrentsUnchanged() {
        var rng = SeededGenerator(seed: 3)
        let w = Tensor.normal([4, 6], using: &rng)
        let x = Tensor.normal([5, 6], using: &rng)
        XCTAssertEqual(HebbianLayer(weight: w, lebesguePower: 2, similarity: .dot).forward(x).currents, Tensor.matmul(x, w, transposeB: true))
    }

    func testAngular_isScaleInvariant_andZeroNormsCountAsOne() {
        let w = Tensor(shape: [2, 3], scalars: [1, 2, 2, 0, 0, 0])
        let x = Tensor(shape: [2, 3], scalars: [2, 4, 4, 0, 0, 0])
        let s = HebbianLayer(weight: w, lebesguePower: 2, similarity: .angular).forward(x).currents
        XCTAssertEqual(s.scalars, [1, 0, 0, 0], "parallel → 1; a zero weight or input gives 0, not NaN")
    }

    func testInputGradients_matchCentralDifferences_linearAndConv() {
        var rng = SeededGenerator(seed: 17)
        let geometry = ConvolutionGeometry(
            inputChannels: 2, inputHeight: 5, inputWidth: 4, outputChannels: 3, kernelSize: 3, stride: 1, padding: 1,
            dilation: 1, groups: 1, paddingMode: .reflect)
        for similarity in Similarity.allCases {
            for conv in [false, true] {
                let n = conv ? geometry.patchWidth : 6
                let layer = HebbianLayer(
                    weight: Tensor.uniform([3, n], low: -0.5, high: 0.5, using: &rng), lebesguePower: 2,
                    geometry: conv ? geometry : nil, similarity: similarity)
                let x = Tensor.uniform([2, conv ? geometry.inputSize : n], low: -1, high: 1, using: &rng)
                let out = layer.forward(x)
                let g = Tensor.uniform(out.currents.shape, low: -1, high: 1, using: &rng)
                let analytic = layer.backward(g, currents: out.currents, patches: out.patches, positionCurrents: out.positionCurrents)
                let numeric = numericalGradient(at: x, step: 1e-2) { weightedSum(layer.forward($0).currents, g) }
                assertClose(analytic, numeric, atol: 2e-3, rtol: 2e-2, "\(similarity) conv \(conv)")
            }
        }
    }
}
