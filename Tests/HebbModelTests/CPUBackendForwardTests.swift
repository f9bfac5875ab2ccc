import HebbModel
import HebbTensor
import XCTest

/// The backend ops of the frozen blocks' forward (`DeviceForward`) on the CPU backend reproduce
/// the host code bit for bit: `Tensor.channelsFirst`, `Activation.forward`, `Tensor.pooled`.
final class CPUBackendForwardTests: XCTestCase {
    private let backend = CPUBackend()

    private func seeded(_ count: Int, seed: UInt64 = 5) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.nextGaussian() * 1.5 + 0.2 }
    }

    func testChannelsFirstMatchesTheTensorReorder() throws {
        // 37 positions and 45 channels: neither a multiple of the CUDA kernel's 32×32 tiles.
        for (batch, positions, channels) in [(3, 37, 45), (2, 70, 5), (1, 1, 3)] {
            let rows = Tensor(shape: [batch * positions, channels], scalars: seeded(batch * positions * channels))
            let out = try backend.allocate(bytes: rows.count * 4)
            try backend.channelsFirst(try backend.buffer(rows.scalars), batch: batch, positions: positions, channels: channels, into: out)
            let expected = rows.channelsFirst(channels: channels, positions: positions)
            XCTAssertEqual(try backend.values(out, count: rows.count, as: Float.self), expected.scalars, "\(batch)×\(positions)×\(channels)")
        }
    }

    func testActivateMatchesActivationForwardInPlaceAndNot() throws {
        let activations: [Activation] = [
            .identity, .relu, .repu(power: 2), .repu(power: 0.7), .triangle(power: 0.7), .triangle(power: 1), .triangle(power: 1.4),
            .softmax(inverseTemperature: 2), .sigmoid(beta: 10), .tanh(beta: 0.5), .exponential(inverseTemperature: 0.3), .hardMax,
        ]
        for (batch, channels, positions) in [(2, 7, 13), (3, 10, 1)] {
            let x = Tensor(shape: [batch, channels * positions], scalars: seeded(batch * channels * positions))
            for activation in activations {
                let expected = activation.forward(x, channels: channels).scalars
                let input = try backend.buffer(x.scalars)
                let output = try backend.allocate(bytes: x.count * 4)
                try backend.activate(input, batch: batch, channels: channels, positions: positions, function: activation, into: output)
                XCTAssertEqual(try backend.values(output, count: x.count, as: Float.self), expected, "\(activation)")
                XCTAssertEqual(try backend.values(input, count: x.count, as: Float.self), x.scalars, "\(activation): input kept")
                try backend.activate(input, batch: batch, channels: channels, positions: positions, function: activation, into: input)
                XCTAssertEqual(try backend.values(input, count: x.count, as: Float.self), expected, "\(activation) in place")
            }
        }
    }

    func testPoolMatchesTensorPooledForSoftHebbsPools() throws {
        // 4SoftHebbCnnCIFAR's max 4/2/1 and avg 2/2/0, and padded average (padding counts in the divisor).
        for (kind, kernel, stride, padding) in [(PoolKind.max, 4, 2, 1), (.average, 2, 2, 0), (.average, 3, 2, 1), (.max, 3, 1, 1)] {
            let geometry = PoolGeometry(kind: kind, kernelSize: kernel, stride: stride, padding: padding, channels: 3, inputHeight: 9, inputWidth: 7)
            let x = Tensor(shape: [2, 3 * 9 * 7], scalars: seeded(2 * 3 * 9 * 7))
            let expected = x.pooled(geometry).output
            let out = try backend.allocate(bytes: expected.count * 4)
            try backend.pool(try backend.buffer(x.scalars), batch: 2, geometry: geometry, into: out)
            XCTAssertEqual(try backend.values(out, count: expected.count, as: Float.self), expected.scalars, "\(kind) \(kernel)/\(stride)/\(padding)")
        }
    }

    func testSliceIsAViewThatKeepsItsBufferAlive() throws {
        var slice: DeviceBuffer?
        do {
            let whole = try backend.buffer([1, 2, 3, 4, 5] as [Float])
            let view = whole.slice(offset: 8, bytes: 8)
            try [Float(30)].withUnsafeBytes { try backend.upload($0, to: view, offset: 0) }
            slice = view
            XCTAssertEqual(try backend.values(whole, count: 5, as: Float.self), [1, 2, 30, 4, 5])
        }
        XCTAssertEqual(try backend.values(try XCTUnwrap(slice), count: 2, as: Float.self), [30, 4], "the slice outlives its variable")
    }
}
