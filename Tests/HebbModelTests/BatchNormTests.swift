import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// Affine-free batch norm: hand-computed forward passes and running statistics, and the backward
/// pass against central differences in training and evaluation mode.
final class BatchNormTests: XCTestCase {
    /// Channel 0 = (1, 2, 3, 4): mean 2.5, biased var 1.25, unbiased 5/3.
    /// Channel 1 = (10, 20, 30, 40): mean 25, biased var 125, unbiased 500/3.
    private let batch = Tensor(shape: [4, 2], scalars: [1, 10, 2, 20, 3, 30, 4, 40])

    func testFreshNorm_hasMeanZeroVarianceOne() {
        let norm = BatchNorm(channels: 3)
        XCTAssertEqual(norm.runningMean, [0, 0, 0])
        XCTAssertEqual(norm.runningVariance, [1, 1, 1])
        XCTAssertEqual(norm.momentum, 0.1)
        XCTAssertEqual(norm.epsilon, 1e-5)
    }

    func testTrainingForward_4x2Batch_normalisesWithTheBiasedBatchVariance() {
        var norm = BatchNorm(channels: 2)
        let (y, _) = norm.forward(batch, training: true)
        // (x − 2.5)/√(1.25 + 1e-5) and (x − 25)/√(125 + 1e-5).
        let c0: [Float] = [-1.3416354200, -0.4472118067, 0.4472118067, 1.3416354200]
        let c1: [Float] = [-1.3416407328, -0.4472135776, 0.4472135776, 1.3416407328]
        let expected = Tensor(shape: [4, 2], scalars: [c0[0], c1[0], c0[1], c1[1], c0[2], c1[2], c0[3], c1[3]])
        assertClose(y, expected, atol: 1e-6, rtol: 1e-6)
    }

    func testTrainingForward_oneStep_updatesRunningStatsWithMomentumAndUnbiasedVariance() {
        var norm = BatchNorm(channels: 2)
        _ = norm.forward(batch, training: true)
        // mean: 0.9·0 + 0.1·(2.5, 25); var: 0.9·1 + 0.1·(5/3, 500/3).
        assertClose(norm.runningMean, [0.25, 2.5], atol: 1e-7, rtol: 1e-6)
        assertClose(norm.runningVariance, [1.0666667, 17.566667], atol: 1e-7, rtol: 1e-6)
    }

    func testTrainingForward_twoSteps_compoundsTheMomentum() {
        var norm = BatchNorm(channels: 2)
        _ = norm.forward(batch, training: true)
        _ = norm.forward(batch, training: true)
        // mean: 0.9·0.25 + 0.25 = 0.475; var: 0.9·1.0666667 + 0.1666667 = 1.1266667.
        assertClose(norm.runningMean, [0.475, 4.75], atol: 1e-7, rtol: 1e-6)
        assertClose(norm.runningVariance, [1.1266667, 32.476667], atol: 1e-7, rtol: 1e-6)
    }

    func testEvalForward_afterOneTrainingStep_usesTheRunningStatistics() {
        var norm = BatchNorm(channels: 2)
        _ = norm.forward(batch, training: true)
        let before = norm
        let (y, _) = norm.forward(batch, training: false)
        // (x − 0.25)/√(1.0666667 + 1e-5) and (x − 2.5)/√(17.566667 + 1e-5).
        let c0: [Float] = [0.7261809734, 1.6944222714, 2.6626635693, 3.6309048672]
        let c1: [Float] = [1.7894371919, 4.1753534477, 6.5612697036, 8.9471859594]
        let expected = Tensor(shape: [4, 2], scalars: [c0[0], c1[0], c0[1], c1[1], c0[2], c1[2], c0[3], c1[3]])
        assertClose(y, expected, atol: 1e-6, rtol: 1e-6)
        XCTAssertEqual(norm, before, "evaluation must not move the running statistics")
    }

    func testEvalForward_freshNorm_isAlmostTheIdentity() {
        var norm = BatchNorm(channels: 2)
        let (y, _) = norm.forward(batch, training: false)
        assertClose(y, (1 / Float(1 + 1e-5).squareRoot()) * batch, atol: 0, rtol: 1e-6)
    }

    func testTrainingForward_singleSampleSinglePosition_fallsBackToRunningStatistics() {
        var norm = BatchNorm(channels: 2)
        norm.runningMean = [1, -1]
        norm.runningVariance = [4, 9]
        let (y, _) = norm.forward(Tensor(shape: [1, 2], scalars: [3, 2]), training: true)
        assertClose(y, Tensor(shape: [1, 2], scalars: [2 / (4 + 1e-5).squareRoot(), 3 / (9 + 1e-5).squareRoot()]), atol: 1e-6)
        XCTAssertEqual(norm.runningMean, [1, -1])
        XCTAssertEqual(norm.runningVariance, [4, 9])
    }

    func testTrainingForward_withPositions_poolsStatisticsOverBatchAndPositions() {
        // C = 2, P = 2, B = 2: channel 0 sees (0, 2, 4, 6), channel 1 sees (1, 1, 3, 3).
        let x = Tensor(shape: [2, 4], scalars: [0, 2, 1, 1, 4, 6, 3, 3])
        var norm = BatchNorm(channels: 2)
        let (y, _) = norm.forward(x, training: true)
        // Channel 0: mean 3, biased var 5, unbiased 20/3; channel 1: mean 2, biased var 1, unbiased 4/3.
        let s0 = 1 / Float(5 + 1e-5).squareRoot(), s1 = 1 / Float(1 + 1e-5).squareRoot()
        let expected = Tensor(shape: [2, 4], scalars: [-3 * s0, -1 * s0, -s1, -s1, 1 * s0, 3 * s0, s1, s1])
        assertClose(y, expected, atol: 1e-6, rtol: 1e-6)
        assertClose(norm.runningMean, [0.3, 0.2], atol: 1e-7, rtol: 1e-6)
        assertClose(norm.runningVariance, [0.9 + 0.1 * 20 / 3, 0.9 + 0.1 * 4 / 3], atol: 1e-7, rtol: 1e-6)
    }

    func testTrainingForward_constantChannel_staysFinite() {
        var norm = BatchNorm(channels: 1)
        let (y, _) = norm.forward(Tensor(repeating: 7, shape: [3, 1]), training: true)
        XCTAssertEqual(y, Tensor.zeros([3, 1]))
    }

    // MARK: Backward

    /// Numerical input gradient of Σ g⊙norm.forward(x) on fresh copies of `norm` (forward mutates it).
    private func numeric(_ norm: BatchNorm, at x: Tensor, training: Bool, g: Tensor) -> Tensor {
        numericalGradient(at: x, step: GradientCheck.step) {
            var copy = norm
            return weightedSum(copy.forward($0, training: training).0, g)
        }
    }

    func testBackward_trainingMode_matchesCentralDifferences() {
        let x = GradientCheck.uniform([5, 3], low: -2, high: 2, seed: 21)
        let g = GradientCheck.uniform([5, 3], seed: 22)
        var norm = BatchNorm(channels: 3)
        let (_, cache) = norm.forward(x, training: true)
        let analytic = norm.backward(g, cache: cache)
        GradientCheck.assertMatches(analytic, numeric(BatchNorm(channels: 3), at: x, training: true, g: g))
        // Batch statistics make the gradient sum to zero over each channel.
        assertClose(analytic.sum(alongAxis: 0).scalars, [0, 0, 0], atol: 1e-5)
    }

    func testBackward_trainingModeWithPositions_matchesCentralDifferences() {
        let (b, c, p) = (3, 2, 3)
        let x = GradientCheck.uniform([b, c * p], low: -2, high: 2, seed: 23)
        let g = GradientCheck.uniform([b, c * p], seed: 24)
        var norm = BatchNorm(channels: c)
        let (_, cache) = norm.forward(x, training: true)
        GradientCheck.assertMatches(
            norm.backward(g, cache: cache), numeric(BatchNorm(channels: c), at: x, training: true, g: g))
    }

    func testBackward_evalMode_matchesCentralDifferences() {
        var norm = BatchNorm(channels: 3)
        // Move the running statistics away from (0, 1) first.
        _ = norm.forward(GradientCheck.uniform([6, 3], low: -3, high: 5, seed: 25), training: true)
        let x = GradientCheck.uniform([4, 3], low: -2, high: 2, seed: 26)
        let g = GradientCheck.uniform([4, 3], seed: 27)
        let trained = norm
        let (_, cache) = norm.forward(x, training: false)
        let analytic = norm.backward(g, cache: cache)
        GradientCheck.assertMatches(analytic, numeric(trained, at: x, training: false, g: g))
        // Eval mode is a per-channel scale by 1/√(runningVar + ε).
        for r in 0..<4 {
            for ch in 0..<3 {
                XCTAssertEqual(analytic[r, ch], g[r, ch] / (trained.runningVariance[ch] + 1e-5).squareRoot(), accuracy: 1e-6)
            }
        }
    }
}
