import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// The backprop `Linear` layer and `Dropout`.
final class LinearTests: XCTestCase {
    private let weight = Tensor(shape: [2, 3], scalars: [1, 2, 3, -1, 0, 1])
    private let bias = Tensor(shape: [2], scalars: [0.5, -1])

    func testForward_knownWeightsAndBias_isXTimesWTransposedPlusB() {
        let layer = Linear(weight: weight, bias: bias)
        let x = Tensor(shape: [2, 3], scalars: [1, 1, 1, 2, 0, -1])
        // Row 0: (1+2+3 + 0.5, −1+0+1 − 1) = (6.5, −1); row 1: (2−3 + 0.5, −2−1 − 1) = (−0.5, −4).
        XCTAssertEqual(layer.forward(x), Tensor(shape: [2, 2], scalars: [6.5, -1, -0.5, -4]))
    }

    func testForward_matchesReferenceMatmulPlusBias() {
        var rng = SeededGenerator(seed: 31)
        let layer = Linear(inputFeatures: 7, outputFeatures: 5, using: &rng)
        let x = Tensor.normal([4, 7], using: &rng)
        var expected = Reference.matmul(x, Reference.transpose(layer.weight))
        for r in 0..<4 { for c in 0..<5 { expected[r, c] += layer.bias.scalars[c] } }
        assertClose(layer.forward(x), expected, atol: 1e-5, rtol: 1e-5)
    }

    func testDefaultInit_drawsWeightsAndBiasWithinInverseSqrtFanIn() {
        var rng = SeededGenerator(seed: 32)
        let layer = Linear(inputFeatures: 16, outputFeatures: 8, using: &rng)
        XCTAssertEqual(layer.weight.shape, [8, 16])
        XCTAssertEqual(layer.bias.shape, [8])
        XCTAssertLessThanOrEqual(layer.weight.maxAbsolute(), 0.25)
        XCTAssertLessThanOrEqual(layer.bias.maxAbsolute(), 0.25)
        XCTAssertGreaterThan(layer.weight.maxAbsolute(), 0.2, "should spread over the whole interval")
        var again = SeededGenerator(seed: 32)
        XCTAssertEqual(Linear(inputFeatures: 16, outputFeatures: 8, using: &again), layer, "seeded init is reproducible")
    }

    func testBackward_matchesCentralDifferences_forInputWeightAndBias() {
        let (b, n, o) = (4, 5, 3)
        let x = GradientCheck.uniform([b, n], seed: 33)
        let w = GradientCheck.uniform([o, n], seed: 34)
        let bias = GradientCheck.uniform([o], seed: 35)
        let g = GradientCheck.uniform([b, o], seed: 36)
        let layer = Linear(weight: w, bias: bias)
        let grads = layer.backward(g, input: x)
        XCTAssertEqual(grads.input.shape, [b, n])
        XCTAssertEqual(grads.weight.shape, [o, n])
        XCTAssertEqual(grads.bias.shape, [o])

        let dx = numericalGradient(at: x, step: GradientCheck.step) { weightedSum(layer.forward($0), g) }
        GradientCheck.assertMatches(grads.input, dx, "input")
        let dw = numericalGradient(at: w, step: GradientCheck.step) {
            weightedSum(Linear(weight: $0, bias: bias).forward(x), g)
        }
        GradientCheck.assertMatches(grads.weight, dw, "weight")
        let db = numericalGradient(at: bias, step: GradientCheck.step) {
            weightedSum(Linear(weight: w, bias: $0).forward(x), g)
        }
        GradientCheck.assertMatches(grads.bias, db, "bias")
    }

    func testBackward_knownValues_matchHandComputation() {
        let layer = Linear(weight: weight, bias: bias)
        let x = Tensor(shape: [2, 3], scalars: [1, 1, 1, 2, 0, -1])
        let g = Tensor(shape: [2, 2], scalars: [1, 0, 0, 2])
        let grads = layer.backward(g, input: x)
        // dx = g·W: row 0 = W₀ = (1, 2, 3); row 1 = 2·W₁ = (−2, 0, 2).
        XCTAssertEqual(grads.input, Tensor(shape: [2, 3], scalars: [1, 2, 3, -2, 0, 2]))
        // dW = gᵀ·x: row 0 = x₀ = (1, 1, 1); row 1 = 2·x₁ = (4, 0, −2). db = column sums (1, 2).
        XCTAssertEqual(grads.weight, Tensor(shape: [2, 3], scalars: [1, 1, 1, 4, 0, -2]))
        XCTAssertEqual(grads.bias, Tensor(shape: [2], scalars: [1, 2]))
    }

    // MARK: Dropout

    func testDropout_forward_masksWithZeroOrTheInverseKeepScale() {
        let dropout = Dropout(probability: 0.25)
        let x = GradientCheck.uniform([8, 16], low: 1, high: 2, seed: 37)
        var rng = SeededGenerator(seed: 38)
        let (y, mask) = dropout.forward(x, using: &rng)
        XCTAssertEqual(mask.shape, x.shape)
        XCTAssertTrue(mask.scalars.allSatisfy { $0 == 0 || $0 == Float(1) / 0.75 })
        XCTAssertEqual(y, x * mask)
        let kept = mask.scalars.filter { $0 != 0 }.count
        // 128 Bernoulli(0.75) draws: mean 96, sd ≈ 4.9.
        XCTAssertTrue((76...116).contains(kept), "kept \(kept) of 128")
    }

    func testDropout_matchesPlainPerElementReference() {
        // Reference: one 32-bit half of a draw per element, low half first, kept when below keep·2³².
        let dropout = Dropout(probability: 0.7)
        let x = GradientCheck.uniform([7, 9], low: -1, high: 1, seed: 43)  // 63 elements: the last draw's high half is unused
        var fast = SeededGenerator(seed: 44), plain = SeededGenerator(seed: 44)
        let (y, mask) = dropout.forward(x, using: &fast)
        let threshold = UInt64((0.3 * 0x1p32 as Double).rounded())
        var halves: [UInt64] = []
        while halves.count < x.count {
            let bits = plain.next()
            halves += [bits & 0xFFFF_FFFF, bits >> 32]
        }
        for i in 0..<x.count {
            let expected: Float = halves[i] < threshold ? 1 / Float(0.3) : 0
            XCTAssertEqual(mask.scalars[i], expected, "element \(i)")
            XCTAssertEqual(y.scalars[i], x.scalars[i] * expected, accuracy: 1e-6)
        }
        XCTAssertEqual(fast.next(), plain.next(), "both consumed the same number of draws")
    }

    func testDropout_sameSeed_sameMask_differentSeed_differentMask() {
        let dropout = Dropout(probability: 0.5)
        let x = Tensor(repeating: 1, shape: [4, 8])
        var a = SeededGenerator(seed: 39), b = SeededGenerator(seed: 39), c = SeededGenerator(seed: 40)
        let maskA = dropout.forward(x, using: &a).1
        XCTAssertEqual(dropout.forward(x, using: &b).1, maskA)
        XCTAssertNotEqual(dropout.forward(x, using: &c).1, maskA)
    }

    func testDropout_probabilityZero_keepsEverything_probabilityOne_dropsEverything() {
        let x = GradientCheck.uniform([3, 4], seed: 41)
        var rng = SeededGenerator(seed: 42)
        let (kept, keepMask) = Dropout(probability: 0).forward(x, using: &rng)
        XCTAssertEqual(kept, x)
        XCTAssertEqual(keepMask, Tensor(repeating: 1, shape: [3, 4]))
        let (dropped, _) = Dropout(probability: 1).forward(x, using: &rng)
        XCTAssertEqual(dropped, Tensor.zeros([3, 4]))
    }
}
