import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// Softmax cross-entropy, mean over the batch: loss value, gradient (softmax − onehot)/B, accuracy.
final class CrossEntropyTests: XCTestCase {
    private let ln2 = Float(log(2.0)), ln5 = Float(log(5.0))

    /// Row 0: softmax (1, 2, 5)/8, label 2 → −ln(5/8), correct. Row 1: uniform, label 1 → ln 3;
    /// the arg-max tie resolves to class 0, so the prediction is wrong.
    private var logits: Tensor { Tensor(shape: [2, 3], scalars: [0, ln2, ln5, 1, 1, 1]) }
    private let labels: [Int32] = [2, 1]

    func testLoss_twoSamples_isTheMeanNegativeLogLikelihood() {
        let result = CrossEntropy.evaluate(logits: logits, labels: labels)
        // (0.4700036292 + 1.0986122887)/2.
        XCTAssertEqual(result.loss, 0.7843079590, accuracy: 1e-6)
    }

    func testGradient_twoSamples_isSoftmaxMinusOneHotOverBatch() {
        let result = CrossEntropy.evaluate(logits: logits, labels: labels)
        let third: Float = 1.0 / 3
        let expected = Tensor(
            shape: [2, 3], scalars: [0.125 / 2, 0.25 / 2, (0.625 - 1) / 2, third / 2, (third - 1) / 2, third / 2])
        assertClose(result.gradient, expected, atol: 1e-6)
        // Each row of the gradient sums to zero.
        assertClose(result.gradient.sum(alongAxis: 1).scalars, [0, 0], atol: 1e-6)
    }

    func testCorrect_countsArgMaxHits_lowestIndexOnTies() {
        XCTAssertEqual(CrossEntropy.evaluate(logits: logits, labels: labels).correct, 1)
        XCTAssertEqual(CrossEntropy.evaluate(logits: logits, labels: [2, 0]).correct, 2)
        XCTAssertEqual(CrossEntropy.evaluate(logits: logits, labels: [0, 2]).correct, 0)
    }

    func testLoss_confidentCorrectPrediction_isNearZero() {
        let result = CrossEntropy.evaluate(logits: Tensor(shape: [1, 2], scalars: [30, 0]), labels: [0])
        XCTAssertEqual(result.loss, 0, accuracy: 1e-6)
        XCTAssertEqual(result.correct, 1)
    }

    func testLoss_confidentWrongPrediction_isTheLogitGap() {
        // −log softmax₀ of (0, 30) = 30 + log(1 + e⁻³⁰) ≈ 30.
        let result = CrossEntropy.evaluate(logits: Tensor(shape: [1, 2], scalars: [0, 30]), labels: [0])
        XCTAssertEqual(result.loss, 30, accuracy: 1e-3)
        assertClose(result.gradient, Tensor(shape: [1, 2], scalars: [-1, 1]), atol: 1e-6)
    }

    func testLoss_logitGapBeyondFloatUnderflow_isStillTheLogitGap() {
        // PyTorch's CrossEntropyLoss (log-softmax) gives 100 here. Computing log(max(softmax, 1e-38))
        // saturates at −ln(1e−38) ≈ 87.5 once the true-class probability underflows.
        let result = CrossEntropy.evaluate(logits: Tensor(shape: [1, 2], scalars: [0, 100]), labels: [0])
        XCTAssertEqual(result.loss, 100, accuracy: 1e-3)
        assertClose(result.gradient, Tensor(shape: [1, 2], scalars: [-1, 1]), atol: 1e-6)
    }

    func testLoss_isInvariantToAddingAConstantToEveryLogit() {
        let shifted = logits.map { $0 + 50 }
        XCTAssertEqual(
            CrossEntropy.evaluate(logits: shifted, labels: labels).loss,
            CrossEntropy.evaluate(logits: logits, labels: labels).loss, accuracy: 1e-5)
    }

    func testGradient_matchesCentralDifferencesOfTheLoss() {
        let x = GradientCheck.uniform([4, 5], low: -2, high: 2, seed: 91)
        let targets: [Int32] = [0, 4, 2, 2]
        let analytic = CrossEntropy.evaluate(logits: x, labels: targets).gradient
        let numeric = numericalGradient(at: x, step: GradientCheck.step) {
            Double(CrossEntropy.evaluate(logits: $0, labels: targets).loss)
        }
        // The loss comes back as Float (≈ 1.7 here), so its rounding noise is ε₃₂·1.7/(2h) ≈ 1e-4.
        GradientCheck.assertMatches(analytic, numeric)
    }
}
