import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// Adam against PyTorch's update, written out in Double:
///   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
///   p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε),   lr 1e-3, β (0.9, 0.999), ε 1e-8.
final class AdamTests: XCTestCase {
    private let learningRate: Float = 1e-3
    private let start = Tensor(shape: [4], scalars: [0, 0.01, -0.02, 0.5])
    private let gradient1 = Tensor(shape: [4], scalars: [0.5, -0.1, 0, 2])
    private let gradient2 = Tensor(shape: [4], scalars: [-0.25, -0.1, 0.3, 1])
    /// 2e-8 is 2e-5 of a 1e-3 step. The implementation forms 1 − β₂ᵗ in Float32 (≈ 1e-5 relative
    /// error at t = 2 from cancellation), where PyTorch uses Python doubles; Float32 rounding of the
    /// parameter itself adds up to 3e-8 near 0.5, covered by the 2e-7 relative part.
    private let tolerance: Float = 2e-8

    /// PyTorch's Adam in Double for a sequence of gradients.
    private func pytorchAdam(_ p0: Tensor, _ gradients: [Tensor], lr: Double = 1e-3) -> [Double] {
        let (beta1, beta2, eps) = (0.9, 0.999, 1e-8)
        var p = p0.scalars.map(Double.init)
        var m = [Double](repeating: 0, count: p.count), v = m
        for (index, g) in gradients.enumerated() {
            let t = Double(index + 1)
            for i in 0..<p.count {
                let gi = Double(g.scalars[i])
                m[i] = beta1 * m[i] + (1 - beta1) * gi
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                let denominator = v[i].squareRoot() / (1 - pow(beta2, t)).squareRoot() + eps
                p[i] -= lr / (1 - pow(beta1, t)) * m[i] / denominator
            }
        }
        return p
    }

    func testDefaults_matchPyTorch() {
        let adam = Adam()
        XCTAssertEqual(adam.beta1, 0.9)
        XCTAssertEqual(adam.beta2, 0.999)
        XCTAssertEqual(adam.epsilon, 1e-8)
    }

    func testOneStep_movesEachParameterByAlmostLrAgainstTheGradientSign() {
        var adam = Adam()
        var p = start
        adam.step("w", parameter: &p, gradient: gradient1, learningRate: learningRate)
        // Step 1: m̂ = g, v̂ = g², so Δ = −lr·g/(|g| + ε); a zero gradient leaves the value alone.
        let expected: [Float] = [-0.00099999998, 0.0109999999, -0.02, 0.499000000005]
        assertClose(p.scalars, expected, atol: tolerance, rtol: 2e-7)
        assertClose(p.scalars, pytorchAdam(start, [gradient1]).map(Float.init), atol: tolerance, rtol: 2e-7)
    }

    func testTwoSteps_matchPyTorchsBiasCorrectedUpdate() {
        var adam = Adam()
        var p = start
        adam.step("w", parameter: &p, gradient: gradient1, learningRate: learningRate)
        adam.step("w", parameter: &p, gradient: gradient2, learningRate: learningRate)
        // Element 0 by hand: m = 0.9·0.05 + 0.1·(−0.25) = 0.02, v = 0.00031225, m̂ = 0.02/0.19, v̂ = 0.00031225/0.001999,
        // Δ = 1e-3·0.1052632/0.3952254 = 2.663370e-4 → −0.001 − 0.000266337 = −0.001266337.
        let expected: [Float] = [-0.0012663370, 0.0119999998, -0.0207441368, 0.4980678204]
        assertClose(p.scalars, expected, atol: tolerance, rtol: 2e-7)
        assertClose(p.scalars, pytorchAdam(start, [gradient1, gradient2]).map(Float.init), atol: tolerance, rtol: 2e-7)
    }

    func testManySteps_constantGradient_trackPyTorch() {
        var adam = Adam()
        var p = start
        let gradients = Array(repeating: gradient2, count: 50)
        for g in gradients { adam.step("w", parameter: &p, gradient: g, learningRate: learningRate) }
        // Each step rounds the stored Float32 parameter (half an ulp, 3e-8 near 0.5), so 50 steps
        // may drift by up to 1.5e-6 from the Double reference: still 3e-5 of the 0.05 travelled.
        assertClose(p.scalars, pytorchAdam(start, gradients).map(Float.init), atol: 2e-6, rtol: 0)
    }

    func testLearningRate_scalesTheStep() {
        var adam = Adam()
        var p = start
        adam.step("w", parameter: &p, gradient: gradient1, learningRate: 0.1)
        assertClose(p.scalars, pytorchAdam(start, [gradient1], lr: 0.1).map(Float.init), atol: 10 * tolerance, rtol: 2e-7)
    }

    func testParameterNames_keepIndependentMomentsAndStepCounts() {
        var adam = Adam()
        var a = start, b = start
        adam.step("a", parameter: &a, gradient: gradient1, learningRate: learningRate)
        adam.step("a", parameter: &a, gradient: gradient2, learningRate: learningRate)
        // "b" starts fresh: its first step is a step-1 update with gradient2 alone.
        adam.step("b", parameter: &b, gradient: gradient2, learningRate: learningRate)
        assertClose(a.scalars, pytorchAdam(start, [gradient1, gradient2]).map(Float.init), atol: tolerance, rtol: 2e-7)
        assertClose(b.scalars, pytorchAdam(start, [gradient2]).map(Float.init), atol: tolerance, rtol: 2e-7)
    }

    func testTinyGradient_epsilonIsAddedAfterTheSecondMomentBiasCorrection() {
        // g = 1e-8: √v̂ = 1e-8, so Δ = lr·g/(1e-8 + 1e-8) = lr/2. Adding ε before dividing by
        // √(1 − β₂) (or inside the root) would give a step ~30× smaller.
        var adam = Adam()
        var p = Tensor(shape: [1], scalars: [0])
        adam.step("w", parameter: &p, gradient: Tensor(shape: [1], scalars: [1e-8]), learningRate: learningRate)
        XCTAssertEqual(p.scalars[0], -5e-4, accuracy: 5e-7)
    }

    func testMatrixParameters_updateElementWise() {
        var adam = Adam()
        var p = start.reshaped([2, 2])
        adam.step("w", parameter: &p, gradient: gradient1.reshaped([2, 2]), learningRate: learningRate)
        XCTAssertEqual(p.shape, [2, 2])
        assertClose(p.scalars, pytorchAdam(start, [gradient1]).map(Float.init), atol: tolerance, rtol: 2e-7)
    }

    func testState_roundTrip_continuesExactlyAsTheOriginal() {
        var rng = SeededGenerator(seed: 9)
        let gradients = (0..<4).map { _ in Tensor.uniform([3, 2], low: -1, high: 1, using: &rng) }
        var original = Adam()
        var p = Tensor.uniform([3, 2], low: -1, high: 1, using: &rng)
        for g in gradients.prefix(2) { original.step("w", parameter: &p, gradient: g, learningRate: 0.01) }
        var restored = Adam(state: original.state)
        XCTAssertEqual(restored.state, original.state)
        var q = p
        for g in gradients.suffix(2) {
            original.step("w", parameter: &p, gradient: g, learningRate: 0.01)
            restored.step("w", parameter: &q, gradient: g, learningRate: 0.01)
        }
        XCTAssertEqual(p, q, "bias corrections continue from step 2, moments carried over")
        XCTAssertEqual(original.state["w.step"]?.scalars, [4])
        XCTAssertTrue(Adam(state: ["w.m": .zeros([2])]).state.isEmpty, "incomplete entries are skipped")
    }
}
