import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// `Block`: the forward trace, the full backward pass against central differences (dropout's mask
/// held fixed by replaying the same seed), and in-place access to the Hebbian layer.
final class BlockTests: XCTestCase {
    private let (batch, inputs, outputs) = (5, 4, 3)
    private let dropoutSeed: UInt64 = 77

    private func linearBlock(weight: Tensor, bias: Tensor, activation: Activation = .tanh(beta: 1)) -> Block {
        Block(
            inputNorm: BatchNorm(channels: inputs), dropout: Dropout(probability: 0.25),
            layer: .linear(Linear(weight: weight, bias: bias)), activation: activation,
            outputNorm: BatchNorm(channels: outputs))
    }

    /// Σ g⊙output of a training forward on a copy of `block`, replaying the dropout seed.
    private func loss(_ block: Block, _ x: Tensor, _ g: Tensor, training: Bool = true) -> Double {
        var copy = block
        var rng = SeededGenerator(seed: dropoutSeed)
        return weightedSum(copy.forward(x, training: training, using: &rng).output, g)
    }

    func testBackward_linearBlockWithNormsAndDropout_matchesCentralDifferences() {
        let x = GradientCheck.uniform([batch, inputs], low: -2, high: 2, seed: 61)
        let w = GradientCheck.uniform([outputs, inputs], seed: 62)
        let b = GradientCheck.uniform([outputs], seed: 63)
        let g = GradientCheck.uniform([batch, outputs], seed: 64)
        var block = linearBlock(weight: w, bias: b)
        var rng = SeededGenerator(seed: dropoutSeed)
        let trace = block.forward(x, training: true, using: &rng)
        let (dx, parameters) = block.backward(g, trace: trace)
        guard let parameters else { return XCTFail("a BP block must return parameter gradients") }

        let reference = linearBlock(weight: w, bias: b)
        GradientCheck.assertMatches(dx, numericalGradient(at: x, step: GradientCheck.step) { self.loss(reference, $0, g) }, "input")
        let dw = numericalGradient(at: w, step: GradientCheck.step) { self.loss(self.linearBlock(weight: $0, bias: b), x, g) }
        GradientCheck.assertMatches(parameters.weight, dw, "weight")
        let db = numericalGradient(at: b, step: GradientCheck.step) { self.loss(self.linearBlock(weight: w, bias: $0), x, g) }
        GradientCheck.assertMatches(parameters.bias!, db, "bias")
    }

    func testBackward_hebbianBlock_matchesCentralDifferences_andHasNoParameterGradients() {
        let x = GradientCheck.uniform([batch, inputs], low: -2, high: 2, seed: 65)
        let w = GradientCheck.uniform([6, inputs], seed: 66)
        let g = GradientCheck.uniform([batch, 6], seed: 67)
        for (p, activation) in [(Float(2), Activation.softmax(inverseTemperature: 2)), (3, .repu(power: 2))] {
            let block = Block(
                inputNorm: BatchNorm(channels: inputs), dropout: Dropout(probability: 0.5),
                layer: .hebbian(HebbianLayer(weight: w, lebesguePower: p)), activation: activation, outputNorm: nil)
            var trained = block
            var rng = SeededGenerator(seed: dropoutSeed)
            let trace = trained.forward(x, training: true, using: &rng)
            let (dx, parameters) = trained.backward(g, trace: trace)
            XCTAssertNil(parameters)
            let numeric = numericalGradient(at: x, step: GradientCheck.step) { self.loss(block, $0, g) }
            GradientCheck.assertMatches(dx, numeric, "p = \(p), \(activation)")
        }
    }

    func testBackward_evalMode_matchesCentralDifferences_withRunningStatistics() {
        let w = GradientCheck.uniform([outputs, inputs], seed: 68)
        let b = GradientCheck.uniform([outputs], seed: 69)
        var block = linearBlock(weight: w, bias: b, activation: .sigmoid(beta: 2))
        var rng = SeededGenerator(seed: 70)
        _ = block.forward(GradientCheck.uniform([8, inputs], low: -3, high: 3, seed: 71), training: true, using: &rng)
        let trained = block
        let x = GradientCheck.uniform([batch, inputs], low: -2, high: 2, seed: 72)
        let g = GradientCheck.uniform([batch, outputs], seed: 73)
        let trace = block.forward(x, training: false, using: &rng)
        XCTAssertEqual(block, trained, "evaluation must not move running statistics")
        XCTAssertEqual(trace.layerInput, trained.inputNorm.map { var n = $0; return n.forward(x, training: false).0 })
        let (dx, parameters) = block.backward(g, trace: trace)
        let numeric = numericalGradient(at: x, step: GradientCheck.step) { self.loss(trained, $0, g, training: false) }
        GradientCheck.assertMatches(dx, numeric, "input")
        let dw = numericalGradient(at: w, step: GradientCheck.step) {
            var copy = trained
            copy.layer = .linear(Linear(weight: $0, bias: b))
            return self.loss(copy, x, g, training: false)
        }
        GradientCheck.assertMatches(parameters!.weight, dw, "weight")
    }

    func testDropout_backwardMultipliesByTheMaskTheForwardUsed() {
        let x = GradientCheck.uniform([4, 6], low: 0.5, high: 1.5, seed: 74)
        let w = GradientCheck.uniform([3, 6], seed: 75)
        let g = GradientCheck.uniform([4, 3], seed: 76)
        var block = Block(
            inputNorm: nil, dropout: Dropout(probability: 0.5),
            layer: .linear(Linear(weight: w, bias: .zeros([3]))), activation: .identity, outputNorm: nil)
        var rng = SeededGenerator(seed: dropoutSeed)
        let trace = block.forward(x, training: true, using: &rng)
        // A later forward with another seed must not affect the backward of the first trace.
        var other = SeededGenerator(seed: dropoutSeed + 1)
        let otherTrace = block.forward(x, training: true, using: &other)

        var replay = SeededGenerator(seed: dropoutSeed)
        let mask = Dropout(probability: 0.5).forward(x, using: &replay).1
        XCTAssertTrue(mask.scalars.contains(0) && mask.scalars.contains(2), "mask should both drop and keep")
        XCTAssertEqual(trace.layerInput, x * mask)
        XCTAssertNotEqual(otherTrace.layerInput, trace.layerInput)

        let dx = block.backward(g, trace: trace).input
        assertClose(dx, mask * Reference.matmul(g, w), atol: 1e-6, rtol: 1e-6)
        for i in 0..<mask.count where mask.scalars[i] == 0 { XCTAssertEqual(dx.scalars[i], 0) }
    }

    func testForward_eval_skipsDropoutAndKeepsRunningStatistics() {
        var block = linearBlock(weight: GradientCheck.uniform([outputs, inputs], seed: 78), bias: .zeros([outputs]))
        let before = block
        let x = GradientCheck.uniform([batch, inputs], seed: 79)
        var rng = SeededGenerator(seed: 80)
        let trace = block.forward(x, training: false, using: &rng)
        XCTAssertEqual(block, before)
        // Fresh norms: (x − 0)/√(1 + ε), no dropout.
        assertClose(trace.layerInput, (1 / Float(1 + 1e-5).squareRoot()) * x, atol: 1e-6)
        XCTAssertEqual(trace.activated, Activation.tanh(beta: 1).forward(trace.currents, channels: outputs))
    }

    func testForward_training_recordsEachStageAndUpdatesBothNorms() {
        let w = GradientCheck.uniform([outputs, inputs], seed: 81)
        var block = linearBlock(weight: w, bias: .zeros([outputs]))
        let x = GradientCheck.uniform([batch, inputs], low: 1, high: 3, seed: 82)
        var rng = SeededGenerator(seed: 83)
        let trace = block.forward(x, training: true, using: &rng)
        XCTAssertNotEqual(block.inputNorm!.runningMean, [0, 0, 0, 0])
        XCTAssertNotEqual(block.outputNorm!.runningMean, [0, 0, 0])
        assertClose(trace.currents, Linear(weight: w, bias: .zeros([outputs])).forward(trace.layerInput), atol: 1e-6)
        assertClose(trace.activated, trace.currents.map { Foundation.tanh($0) }, atol: 1e-6)
        // The block output is batch-normalised: zero mean per channel.
        assertClose(trace.output.sum(alongAxis: 0).scalars, [0, 0, 0], atol: 1e-5)
        XCTAssertEqual(block.outputSize, outputs)
    }

    // MARK: withHebbianLayer

    func testWithHebbianLayer_hebbianBlock_mutatesInPlaceAndReturnsTheBodyResult() {
        let w = Tensor(shape: [2, 2], scalars: [1, -2, 3, 0.5])
        var block = Block(
            inputNorm: nil, dropout: nil, layer: .hebbian(HebbianLayer(weight: w, lebesguePower: 3)),
            activation: .identity, outputNorm: nil)
        let result = block.withHebbianLayer { layer -> Int in
            layer.updateWeights { $0[1, 1] = -1 }
            return layer.outputChannels * 10
        }
        XCTAssertEqual(result, 20)
        guard case .hebbian(let layer) = block.layer else { return XCTFail("layer must stay Hebbian") }
        XCTAssertEqual(layer.weight, Tensor(shape: [2, 2], scalars: [1, -2, 3, -1]))
        XCTAssertEqual(layer.effectiveWeight, Tensor(shape: [2, 2], scalars: [1, -4, 9, -1]))
        var rng = SeededGenerator(seed: 84)
        let u = block.forward(Tensor(shape: [1, 2], scalars: [1, 1]), training: false, using: &rng).currents
        XCTAssertEqual(u, Tensor(shape: [1, 2], scalars: [-3, 8]))
    }

    func testWithHebbianLayer_bpBlock_returnsNilWithoutCallingTheBody() {
        let linear = Linear(weight: Tensor(shape: [1, 2], scalars: [1, 2]), bias: Tensor(shape: [1], scalars: [3]))
        var block = Block(inputNorm: nil, dropout: nil, layer: .linear(linear), activation: .relu, outputNorm: nil)
        let before = block
        var called = false
        let result: Int? = block.withHebbianLayer { _ in
            called = true
            return 1
        }
        XCTAssertNil(result)
        XCTAssertFalse(called)
        XCTAssertEqual(block, before)
    }
}

