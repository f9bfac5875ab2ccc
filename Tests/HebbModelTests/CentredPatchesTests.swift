import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// hebb's `center1`: a Hebbian convolution subtracts each patch's mean before its currents, so
/// the rule (which sees the forward's patches) learns from zero-mean patches.
final class CentredPatchesTests: XCTestCase {
    private let geometry = ConvolutionGeometry(
        inputChannels: 2, inputHeight: 6, inputWidth: 5, outputChannels: 4, kernelSize: 3, stride: 1,
        padding: 1, dilation: 1, groups: 1, paddingMode: .reflect)

    /// The plain reference: direct im2col, every row minus its mean, then ŵ·patch.
    private func reference(_ x: Tensor, weight: Tensor, power: Float) -> (patches: Tensor, currents: [Float]) {
        var patches = Reference.unfold(x, geometry: geometry)
        let n = patches.columns
        for r in 0..<patches.rows {
            let mean = (0..<n).reduce(Float(0)) { $0 + patches.scalars[r * n + $1] } / Float(n)
            for j in 0..<n { patches.scalars[r * n + j] -= mean }
        }
        let effective = weight.scalars.map { ($0 < 0 ? -1 : 1) * pow(abs($0), power - 1) }
        var currents: [Float] = []
        for r in 0..<patches.rows {
            for o in 0..<weight.rows {
                currents.append((0..<n).reduce(Float(0)) { $0 + effective[o * n + $1] * patches.scalars[r * n + $1] })
            }
        }
        return (patches, currents)
    }

    func testForward_centredPatches_matchTheReferenceAndHaveZeroMean() {
        let x = GradientCheck.uniform([3, geometry.inputSize], low: 0, high: 1, seed: 21)
        for power: Float in [2, 3] {
            let w = GradientCheck.uniform([geometry.outputChannels, geometry.patchWidth], seed: 22)
            let out = HebbianLayer(weight: w, lebesguePower: power, geometry: geometry, centersPatches: true).forward(x)
            let expected = reference(x, weight: w, power: power)
            assertClose(out.patches, expected.patches, atol: 1e-6)
            assertClose(out.positionCurrents.scalars, expected.currents, atol: 1e-5, rtol: 1e-5, "p \(power)")
            let n = out.patches.columns
            for r in 0..<out.patches.rows {
                XCTAssertEqual((0..<n).reduce(Float(0)) { $0 + out.patches.scalars[r * n + $1] }, 0, accuracy: 1e-5)
            }
        }
    }

    func testForward_uniformImage_givesZeroCurrents() {
        let x = Tensor(shape: [1, geometry.inputSize], scalars: Array(repeating: 0.7, count: geometry.inputSize))
        let w = GradientCheck.uniform([geometry.outputChannels, geometry.patchWidth], seed: 23)
        let centred = HebbianLayer(weight: w, lebesguePower: 2, geometry: geometry, centersPatches: true).forward(x)
        XCTAssertLessThan(centred.currents.scalars.map(abs).max() ?? 1, 1e-5)
        let plain = HebbianLayer(weight: w, lebesguePower: 2, geometry: geometry).forward(x)
        XCTAssertGreaterThan(plain.currents.scalars.map(abs).max() ?? 0, 0.1, "without centring a uniform image drives the filters")
    }

    func testBackward_centredPatches_matchesCentralDifferences() {
        let x = GradientCheck.uniform([2, geometry.inputSize], seed: 24)
        let w = GradientCheck.uniform([geometry.outputChannels, geometry.patchWidth], seed: 25)
        let layer = HebbianLayer(weight: w, lebesguePower: 3, geometry: geometry, centersPatches: true)
        let out = layer.forward(x)
        let dy = GradientCheck.uniform(out.currents.shape, seed: 26)
        let dx = layer.backward(dy, currents: out.currents)
        let numeric = numericalGradient(at: x) { weightedSum(layer.forward($0).currents, dy) }
        GradientCheck.assertMatches(dx, numeric, "input")
    }
}
