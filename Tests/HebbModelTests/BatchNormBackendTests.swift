import HebbModel
import HebbTensor
import XCTest

/// The backend batch-norm ops (a conv block's input norm in the device epoch) on the CPU backend
/// reproduce `BatchNorm.forward` in training mode bit for bit: outputs and running statistics.
final class BatchNormBackendTests: XCTestCase {
    func testCPUBackendBatchNormMatchesHostBatchNormOverSeveralBatches() throws {
        let (channels, positions) = (3, 10)
        var rng = SeededGenerator(seed: 11)
        var host = BatchNorm(channels: channels)
        host.runningMean = [0.5, -1, 2]
        host.runningVariance = [1, 4, 0.25]
        let backend = CPUBackend()
        let running = try backend.buffer(host.runningMean + host.runningVariance)
        let statistics = try backend.allocate(bytes: 2 * channels * MemoryLayout<Double>.size)
        for batch in [4, 1, 3] {
            let scalars = (0..<(batch * channels * positions)).map { i in rng.nextGaussian() * Float(1 + i % channels) + Float(i % 7) }
            let (expected, _) = host.forward(Tensor(shape: [batch, channels * positions], scalars: scalars), training: true)
            let x = try backend.buffer(scalars)
            try backend.batchNormStatistics(x, batch: batch, channels: channels, positions: positions, into: statistics)
            try backend.updateRunningStatistics(statistics, channels: channels, count: batch * positions, momentum: host.momentum, running: running)
            try backend.batchNormalise(x, batch: batch, channels: channels, positions: positions, statistics: statistics, epsilon: host.epsilon, into: x)
            XCTAssertEqual(try backend.values(x, count: scalars.count, as: Float.self), expected.scalars, "batch of \(batch)")
            XCTAssertEqual(try backend.values(running, count: 2 * channels, as: Float.self), host.runningMean + host.runningVariance, "batch of \(batch)")
        }
    }

    func testStatisticsAreMeanAndBiasedVariancePerChannel() throws {
        // Channel 0 = (1, 2, 3, 4): mean 2.5, biased var 1.25; channel 1 = (10, 20, 30, 40): mean 25, var 125.
        let backend = CPUBackend()
        let x = try backend.buffer([1, 2, 10, 20, 3, 4, 30, 40] as [Float])
        let statistics = try backend.allocate(bytes: 4 * MemoryLayout<Double>.size)
        try backend.batchNormStatistics(x, batch: 2, channels: 2, positions: 2, into: statistics)
        XCTAssertEqual(try backend.values(statistics, count: 4, as: Double.self), [2.5, 25, 1.25, 125])
        let running = try backend.buffer([0, 0, 1, 1] as [Float])
        try backend.updateRunningStatistics(statistics, channels: 2, count: 4, momentum: 0.1, running: running)
        let values: [Float] = try backend.values(running, count: 4)
        XCTAssertEqual(values[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(values[1], 2.5, accuracy: 1e-6)
        XCTAssertEqual(values[2], 0.9 + 0.1 * 5 / 3, accuracy: 1e-6, "unbiased: 1.25 · 4/3")
        XCTAssertEqual(values[3], 0.9 + 0.1 * 500 / 3, accuracy: 1e-4)
    }
}
