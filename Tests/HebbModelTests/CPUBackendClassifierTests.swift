import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// The classifier kernels of `CPUBackend` reproduce the host layers they mirror (bias add,
/// dropout, cross-entropy, column sums, Adam), bit for bit where the arithmetic is the same.
final class CPUBackendClassifierTests: XCTestCase {
    let backend = CPUBackend()

    func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in scale * rng.nextGaussian() }
    }

    func testBiasAddMatchesLinearForward() throws {
        let (rows, features, classes) = (7, 12, 5)
        let layer = Linear(
            weight: Tensor(shape: [classes, features], scalars: random(classes * features, seed: 1)),
            bias: Tensor(shape: [classes], scalars: random(classes, seed: 2)))
        let x = Tensor(shape: [rows, features], scalars: random(rows * features, seed: 3))
        let (input, weights, bias) = (try backend.buffer(x.scalars), try backend.buffer(layer.weight.scalars), try backend.buffer(layer.bias.scalars))
        let logits = try backend.allocate(bytes: rows * classes * 4)
        try backend.gemm(.none, .transposed, m: rows, n: classes, k: features, alpha: 1, a: input, lda: features, b: weights, ldb: features, beta: 0, c: logits, ldc: classes)
        try backend.addBias(logits, bias: bias, rows: rows, columns: classes)
        XCTAssertEqual(try backend.values(logits, count: rows * classes), layer.forward(x).scalars)
    }

    func testDropoutKeepMaskDrawsWhatForwardDrawsAndAppliesTheSameMask() throws {
        for (count, probability) in [(1, 0.5), (31, 0.5), (64, 0.25), (97, 0.9), (40, 1.0)] as [(Int, Float)] {
            let dropout = Dropout(probability: probability)
            let x = Tensor(shape: [1, count], scalars: random(count, seed: UInt64(count)))
            var (hostRNG, deviceRNG) = (SeededGenerator(seed: 5), SeededGenerator(seed: 5))
            let (expected, _) = dropout.forward(x, using: &hostRNG)
            var words = [UInt32](repeating: 0, count: (count + 31) / 32)
            words.withUnsafeMutableBufferPointer { dropout.keepMask(count: count, into: $0, using: &deviceRNG) }
            XCTAssertEqual(hostRNG.next(), deviceRNG.next(), "same number of draws for \(count)")
            // The mask at a word offset inside a larger buffer, as a chunk of batches holds it.
            let (input, mask) = (try backend.buffer(x.scalars), try backend.buffer([UInt32(0xDEAD_BEEF)] + words))
            try backend.applyDropout(input, count: count, mask: mask, wordOffset: 1, scale: dropout.scale)
            XCTAssertEqual(try backend.values(input, count: count), expected.scalars, "\(count) elements, p = \(probability)")
        }
    }

    func testCrossEntropyMatchesTheHostLossGradientAndCountsWithGatheredLabels() throws {
        let (rows, classes) = (9, 6)
        let logits = Tensor(shape: [rows, classes], scalars: random(rows * classes, seed: 7, scale: 3))
        let allLabels: [Int32] = (0..<20).map { Int32($0 * 7 % classes) }
        let indices: [Int32] = [4, 0, 19, 3, 8, 11, 2, 15, 7, 9, 1]  // rows read indices[2...]
        let labels = indices[2..<(2 + rows)].map { allLabels[Int($0)] }
        let expected = CrossEntropy.evaluate(logits: logits, labels: labels)
        let gradient = try backend.allocate(bytes: rows * classes * 4)
        let totals = try backend.buffer([0.5, 1.0])
        let losses = try backend.buffer([Float](repeating: -1, count: 3))
        try backend.softmaxCrossEntropy(
            try backend.buffer(logits.scalars), rows: rows, classes: classes, labels: try backend.buffer(allLabels),
            indices: try backend.buffer(indices), offset: 2, gradient: gradient, totals: totals, batchLosses: losses, batch: 1)
        XCTAssertEqual(try backend.values(gradient, count: rows * classes), expected.gradient.scalars)
        let sums: [Double] = try backend.values(totals, count: 2)
        XCTAssertEqual(sums, [0.5 + Double(expected.loss) * Double(rows), 1.0 + Double(expected.correct)])
        XCTAssertEqual(try backend.values(losses, count: 3), [-1, expected.loss, -1])
    }

    func testColumnSumsMatchTheHostSum() throws {
        let x = Tensor(shape: [13, 4], scalars: random(52, seed: 9))
        let out = try backend.allocate(bytes: 4 * 4)
        try backend.columnSums(try backend.buffer(x.scalars), rows: 13, columns: 4, into: out)
        XCTAssertEqual(try backend.values(out, count: 4), x.sum(alongAxis: 0).scalars)
    }

    func testAdamStepsMatchTheHostOptimiser() throws {
        var parameter = Tensor(shape: [3, 5], scalars: random(15, seed: 11))
        var adam = Adam()
        let (weights, first, second) = (try backend.buffer(parameter.scalars), try backend.buffer([Float](repeating: 0, count: 15)), try backend.buffer([Float](repeating: 0, count: 15)))
        for step in 1...4 {
            let gradient = Tensor(shape: [3, 5], scalars: random(15, seed: 20 + UInt64(step), scale: 0.1))
            adam.step("w", parameter: &parameter, gradient: gradient, learningRate: 0.01)
            let (stepSize, root) = adam.biasCorrection(step: step, learningRate: 0.01)
            let coefficients = AdamCoefficients(beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, stepSize: stepSize, root: root)
            try backend.adamStep(weights, gradient: try backend.buffer(gradient.scalars), firstMoments: first, secondMoments: second, count: 15, coefficients: coefficients)
        }
        XCTAssertEqual(try backend.values(weights, count: 15), parameter.scalars)
        XCTAssertEqual(try backend.values(first, count: 15), adam.state["w.m"]?.scalars)
        XCTAssertEqual(try backend.values(second, count: 15), adam.state["w.v"]?.scalars)
        XCTAssertEqual(adam.steps(of: "w"), 4)
    }
}
