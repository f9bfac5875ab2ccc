import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// Convolution layers (BP and Hebbian) against the direct-convolution oracle, and conv blocks
/// (BatchNorm2d → conv → triangle → pool) against central differences.
final class ConvolutionTests: XCTestCase {
    private func geometry(groups: Int = 1, stride: Int = 1, dilation: Int = 1) -> ConvolutionGeometry {
        ConvolutionGeometry(
            inputChannels: 4, inputHeight: 6, inputWidth: 5, outputChannels: 6, kernelSize: 3, stride: stride,
            padding: 1, dilation: dilation, groups: groups, paddingMode: .reflect)
    }

    func testForward_bpAndHebbianConvolutions_matchDirectConvolution() {
        for (groups, stride, dilation) in [(1, 1, 1), (2, 1, 1), (1, 2, 1), (1, 1, 2)] {
            let g = geometry(groups: groups, stride: stride, dilation: dilation)
            let x = GradientCheck.uniform([2, g.inputSize], seed: 5)
            let w = GradientCheck.uniform([g.outputChannels, g.patchWidth], seed: 6)
            let expected = Reference.convolution2D(x: x, weight: w, geometry: g)
            let bp = Convolution(weight: w, bias: nil, geometry: g).forward(x).output
            assertClose(bp, expected, atol: 1e-5, rtol: 1e-4, "BP g\(groups) s\(stride) d\(dilation)")
            let hebbian = HebbianLayer(weight: w, lebesguePower: 2, geometry: g).forward(x)
            assertClose(hebbian.currents, expected, atol: 1e-5, rtol: 1e-4, "Hebbian g\(groups) s\(stride) d\(dilation)")
            XCTAssertEqual(hebbian.positionCurrents.shape, [2 * g.positions, g.outputChannels])
            XCTAssertEqual(hebbian.patches.shape, [2 * g.positions, g.inputChannels * 9])
        }
    }

    func testForward_preTriangle_subtractsChannelMeanAndRectifies() {
        let g = geometry()
        let x = GradientCheck.uniform([2, g.inputSize], seed: 7)
        let w = GradientCheck.uniform([g.outputChannels, g.patchWidth], seed: 8)
        let plain = HebbianLayer(weight: w, lebesguePower: 2, geometry: g).forward(x).currents
        let triangled = HebbianLayer(weight: w, lebesguePower: 2, geometry: g, preTriangle: true).forward(x).currents
        let expected = Activation.triangle(power: 1).forward(plain, channels: g.outputChannels)
        assertClose(triangled, expected, atol: 1e-6)
        XCTAssertTrue(triangled.scalars.contains(0) && triangled.scalars.contains { $0 > 0 })
    }

    func testBackward_bpConvolution_matchesCentralDifferences() {
        for groups in [1, 2] {
            let g = geometry(groups: groups, stride: groups == 1 ? 2 : 1)
            let x = GradientCheck.uniform([2, g.inputSize], seed: 9)
            let w = GradientCheck.uniform([g.outputChannels, g.patchWidth], seed: 10)
            let b = GradientCheck.uniform([g.outputChannels], seed: 11)
            let layer = Convolution(weight: w, bias: b, geometry: g)
            let (y, patches) = layer.forward(x)
            let dy = GradientCheck.uniform(y.shape, seed: 12)
            let grads = layer.backward(dy, patches: patches)
            let dx = numericalGradient(at: x) { weightedSum(layer.forward($0).output, dy) }
            GradientCheck.assertMatches(grads.input, dx, "input g\(groups)")
            let dw = numericalGradient(at: w) { weightedSum(Convolution(weight: $0, bias: b, geometry: g).forward(x).output, dy) }
            GradientCheck.assertMatches(grads.weight, dw, "weight g\(groups)")
            let db = numericalGradient(at: b) { weightedSum(Convolution(weight: w, bias: $0, geometry: g).forward(x).output, dy) }
            GradientCheck.assertMatches(grads.bias ?? .zeros([0]), db, "bias g\(groups)")
        }
    }

    /// BN2d → BP conv → tanh → max or avg pool, the SoftHebb CNN block order (tanh, not triangle:
    /// triangle treats its channel mean as a constant, so its gradient is not the true derivative).
    private func convBlock(_ w: Tensor, pool kind: PoolKind) -> Block {
        let g = geometry()
        let pool = PoolGeometry(kind: kind, kernelSize: 3, stride: 2, padding: 1, channels: 6, inputHeight: g.outputHeight, inputWidth: g.outputWidth)
        return Block(
            inputNorm: BatchNorm(channels: 4), dropout: nil, layer: .convolution(Convolution(weight: w, bias: nil, geometry: g)),
            activation: .tanh(beta: 1), outputNorm: nil, pool: pool)
    }

    func testBackward_convBlockWithBatchNormAndPool_matchesCentralDifferences() {
        let g = geometry()
        let x = GradientCheck.uniform([3, g.inputSize], seed: 13)
        let w = GradientCheck.uniform([g.outputChannels, g.patchWidth], seed: 14)
        for kind in [PoolKind.max, .average] {
            var block = convBlock(w, pool: kind)
            XCTAssertEqual(block.outputSize, 6 * 3 * 3)
            var rng = SeededGenerator(seed: 1)
            let trace = block.forward(x, training: true, using: &rng)
            XCTAssertEqual(trace.output.shape, [3, 54])
            let dy = GradientCheck.uniform(trace.output.shape, seed: 15)
            let (dx, parameters) = block.backward(dy, trace: trace)
            func loss(_ b: Block, _ input: Tensor) -> Double {
                var copy = b
                var r = SeededGenerator(seed: 1)
                return weightedSum(copy.forward(input, training: true, using: &r).output, dy)
            }
            let reference = convBlock(w, pool: kind)
            GradientCheck.assertMatches(dx, numericalGradient(at: x) { loss(reference, $0) }, "input, \(kind) pool")
            let dw = numericalGradient(at: w) { loss(self.convBlock($0, pool: kind), x) }
            GradientCheck.assertMatches(parameters?.weight ?? .zeros([0]), dw, "weight, \(kind) pool")
        }
    }

    func testModel_convWeightsUseTheFourAxisCheckpointShape_andLoadBack() {
        let g = geometry(groups: 2)
        let w = GradientCheck.uniform([g.outputChannels, g.patchWidth], seed: 16)
        let model = Model(blocks: [Block(
            inputNorm: nil, dropout: nil, layer: .hebbian(HebbianLayer(weight: w, lebesguePower: 2, geometry: g)),
            activation: .identity, outputNorm: nil)])
        let tensors = model.namedTensors()
        XCTAssertEqual(tensors["blocks.0.layer.weight"]?.shape, [6, 2, 3, 3])
        var fresh = Model(blocks: [Block(
            inputNorm: nil, dropout: nil, layer: .hebbian(HebbianLayer(weight: .zeros(w.shape), lebesguePower: 2, geometry: g)),
            activation: .identity, outputNorm: nil)])
        XCTAssertEqual(fresh.load(tensors, blockIndices: [0]), [])
        XCTAssertEqual(fresh.blocks[0].hebbianLayer?.weight, w)
    }
}
