import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// Krotov & Hopfield's supervised loss Σ_α |c_α − t_α|^m (t = ±1), next to cross-entropy.
final class LossTests: XCTestCase {
    func testPowerLoss_handValues() {
        // Sample 0 (class 1): |0.5 + 1|² + |0 − 1|² = 3.25; sample 1 (class 0): |1 − 1|² + |−1 + 1|² = 0.
        let c = Tensor(shape: [2, 2], scalars: [0.5, 0, 1, -1])
        let result = Loss.power(exponent: 2).evaluate(outputs: c, labels: [1, 0])
        XCTAssertEqual(result.loss, 3.25 / 2, accuracy: 1e-6, "summed over classes, averaged over the batch")
        XCTAssertEqual(result.correct, 1)
        XCTAssertEqual(result.gradient.scalars, [1.5, -1, 0, 0], "m·|d|^(m−1)·sign(d) / B")
    }

    func testPowerLoss_gradientMatchesCentralDifferences() {
        var rng = SeededGenerator(seed: 9)
        let c = Tensor.uniform([4, 5], low: -0.9, high: 0.9, using: &rng)
        let labels: [Int32] = [0, 3, 4, 1]
        for m: Float in [1.5, 6] {
            let loss = Loss.power(exponent: m)
            // The loss comes back as a Float: a larger step keeps its rounding out of the quotient.
            let numeric = numericalGradient(at: c, step: 1e-2) { Double(loss.evaluate(outputs: $0, labels: labels).loss) }
            assertClose(loss.evaluate(outputs: c, labels: labels).gradient, numeric, atol: 5e-3, rtol: 2e-2, "m \(m)")
        }
    }

    func testCrossEntropyCase_isCrossEntropy() {
        let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, -1, 4])
        let a = Loss.crossEntropy.evaluate(outputs: logits, labels: [2, 0])
        let b = CrossEntropy.evaluate(logits: logits, labels: [2, 0])
        XCTAssertEqual(a.loss, b.loss)
        XCTAssertEqual(a.gradient, b.gradient)
        XCTAssertEqual(Loss.power(exponent: 6).attribute, "powerloss_6")
        XCTAssertNil(Loss.crossEntropy.attribute)
    }
}
