import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// `HebbianLayer`: effective weight ŵ = sign(W)·|W|^(p−1), currents x·ŵᵀ, radii, weight updates
/// and the input gradient under backprop.
final class HebbianLayerTests: XCTestCase {
    private let weight = Tensor(shape: [2, 3], scalars: [1, -2, 0.5, 3, -4, 0])

    /// ŵ written out element by element, independent of `Tensor.signedPower`.
    private func handEffectiveWeight(_ w: Tensor, p: Float) -> Tensor {
        w.map { v in
            let magnitude = Float(Foundation.pow(Double(Swift.abs(v)), Double(p - 1)))
            return v < 0 ? -magnitude : magnitude
        }
    }

    func testEffectiveWeight_p3_isSignTimesSquare() {
        let layer = HebbianLayer(weight: weight, lebesguePower: 3)
        XCTAssertEqual(layer.effectiveWeight, Tensor(shape: [2, 3], scalars: [1, -4, 0.25, 9, -16, 0]))
        XCTAssertEqual(layer.weight, weight)
    }

    func testEffectiveWeight_p2_isTheWeightItself() {
        let layer = HebbianLayer(weight: weight, lebesguePower: 2)
        XCTAssertEqual(layer.effectiveWeight, weight)
    }

    func testEffectiveWeight_fractionalPower_matchesHandComputation() {
        let layer = HebbianLayer(weight: weight, lebesguePower: 2.5)
        assertClose(layer.effectiveWeight, handEffectiveWeight(weight, p: 2.5), atol: 1e-6, rtol: 1e-6)
    }

    func testForward_p3_knownValues() {
        let layer = HebbianLayer(weight: weight, lebesguePower: 3)
        let x = Tensor(shape: [2, 3], scalars: [1, 1, 4, 0, -1, 2])
        // ŵ = [[1, −4, 0.25], [9, −16, 0]]: row 0 → (1 − 4 + 1, 9 − 16) = (−2, −7); row 1 → (4 + 0.5, 16).
        XCTAssertEqual(layer.forward(x).currents, Tensor(shape: [2, 2], scalars: [-2, -7, 4.5, 16]))
    }

    func testForward_p3_equalsReferenceMatmulWithSignedSquareWeights() {
        var rng = SeededGenerator(seed: 51)
        let w = Tensor.normal([6, 10], using: &rng)
        let x = Tensor.normal([5, 10], using: &rng)
        let layer = HebbianLayer(weight: w, lebesguePower: 3)
        let expected = Reference.matmul(x, Reference.transpose(handEffectiveWeight(w, p: 3)))
        assertClose(layer.forward(x).currents, expected, atol: 1e-5, rtol: 1e-5)
    }

    func testForward_p2_equalsReferenceMatmulWithTheWeights() {
        var rng = SeededGenerator(seed: 52)
        let w = Tensor.normal([4, 7], using: &rng)
        let x = Tensor.normal([3, 7], using: &rng)
        let layer = HebbianLayer(weight: w, lebesguePower: 2)
        assertClose(layer.forward(x).currents, Reference.matmul(x, Reference.transpose(w)), atol: 1e-5, rtol: 1e-5)
    }

    func testRadii_p2_areEuclideanNormsOfTheRows() {
        let layer = HebbianLayer(weight: Tensor(shape: [2, 2], scalars: [3, -4, 0, 2]), lebesguePower: 2)
        XCTAssertEqual(layer.radii, [5, 2])
    }

    func testRadii_p3_areThreeNormsOfTheRows() {
        let layer = HebbianLayer(weight: Tensor(shape: [2, 2], scalars: [3, -4, 0, 2]), lebesguePower: 3)
        // (27 + 64)^(1/3) = 91^(1/3); (0 + 8)^(1/3) = 2.
        assertClose(layer.radii, [4.4979414453, 2], atol: 1e-6, rtol: 1e-6)
        var rng = SeededGenerator(seed: 53)
        let w = Tensor.normal([5, 9], using: &rng)
        for p: Float in [1, 2, 3, 4.5] {
            let radii = HebbianLayer(weight: w, lebesguePower: p).radii
            assertClose(radii, Reference.normsRows(w, p: p), atol: 1e-6, rtol: 1e-5, "p = \(p)")
        }
    }

    func testSizes_reportOutputAndInputFeatures() {
        let layer = HebbianLayer(weight: weight, lebesguePower: 3)
        XCTAssertEqual(layer.outputChannels, 2)
        XCTAssertEqual(layer.inputFeatures, 3)
    }

    func testUpdateWeights_p3_refreshesTheEffectiveWeightAndTheForward() {
        var layer = HebbianLayer(weight: weight, lebesguePower: 3)
        layer.updateWeights { w in
            w[0, 0] = -2
            w[1, 2] = 0.5
        }
        let updated = Tensor(shape: [2, 3], scalars: [-2, -2, 0.5, 3, -4, 0.5])
        XCTAssertEqual(layer.weight, updated)
        XCTAssertEqual(layer.effectiveWeight, Tensor(shape: [2, 3], scalars: [-4, -4, 0.25, 9, -16, 0.25]))
        XCTAssertEqual(layer, HebbianLayer(weight: updated, lebesguePower: 3))
        let x = Tensor(shape: [1, 3], scalars: [1, 0, 4])
        XCTAssertEqual(layer.forward(x).currents, Tensor(shape: [1, 2], scalars: [-3, 10]))
        XCTAssertEqual(layer.radii, HebbianLayer(weight: updated, lebesguePower: 3).radii)
    }

    func testUpdateWeights_p2_effectiveWeightFollowsTheWeight() {
        var layer = HebbianLayer(weight: weight, lebesguePower: 2)
        layer.updateWeights { $0.add(Tensor(repeating: 1, shape: [2, 3])) }
        XCTAssertEqual(layer.effectiveWeight, Tensor(shape: [2, 3], scalars: [2, -1, 1.5, 4, -3, 1]))
    }

    func testCopies_doNotShareWeights() {
        let original = HebbianLayer(weight: weight, lebesguePower: 3)
        var copy = original
        copy.updateWeights { $0 = Tensor.zeros([2, 3]) }
        XCTAssertEqual(original.weight, weight)
        XCTAssertEqual(original.effectiveWeight, Tensor(shape: [2, 3], scalars: [1, -4, 0.25, 9, -16, 0]))
    }

    func testBackward_p2AndP3_matchesCentralDifferencesForTheInput() {
        let x = GradientCheck.uniform([4, 5], seed: 54)
        let w = GradientCheck.uniform([3, 5], low: -1.5, high: 1.5, seed: 55)
        let g = GradientCheck.uniform([4, 3], seed: 56)
        for p: Float in [2, 3] {
            let layer = HebbianLayer(weight: w, lebesguePower: p)
            let numeric = numericalGradient(at: x, step: GradientCheck.step) { weightedSum(layer.forward($0).currents, g) }
            GradientCheck.assertMatches(layer.backward(g, currents: layer.forward(x).currents), numeric, "p = \(p)")
            assertClose(layer.backward(g, currents: layer.forward(x).currents), Reference.matmul(g, handEffectiveWeight(w, p: p)), atol: 1e-5, rtol: 1e-5)
        }
    }
}

