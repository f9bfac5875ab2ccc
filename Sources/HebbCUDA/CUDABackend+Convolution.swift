import HebbTensor

// Shapes: B samples, C channels, P positions per channel, M competitions (rows), O units.

/// A conv block's input batch norm on the device, and the per-unit reductions for many
/// competitions (the kernels of `KernelSources.convolution`).
extension CUDABackend {
    /// Competitions beyond which `decayCoefficients` and `accumulateTally` reduce by row chunks
    /// (a convolution's B·P rows: 10 CIFAR images × 1024 positions) instead of one thread per unit
    /// looping over every row (fully connected batches, KrotovMlpMNIST's 1024 at most: the host's
    /// order of summation, deterministic).
    static let chunkedReductionRows = 1024

    public func batchNormStatistics(_ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, into statistics: DeviceBuffer) throws {
        try launch("hebb_bn_statistics", .perRow(rows: channels), [
            .pointer(x.address), .count(batch), .count(channels), .count(positions), .pointer(statistics.address)])
    }

    public func updateRunningStatistics(_ statistics: DeviceBuffer, channels: Int, count: Int, momentum: Float, running: DeviceBuffer) throws {
        try launch("hebb_bn_running", .perColumn(columns: channels), [
            .pointer(statistics.address), .count(channels), .count(count), .float(momentum), .pointer(running.address)])
    }

    public func batchNormalise(
        _ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, statistics: DeviceBuffer, epsilon: Float, into y: DeviceBuffer
    ) throws {
        try launch("hebb_bn_normalise", .elementwise(count: batch * channels * positions), [
            .pointer(x.address), .count(batch), .count(channels), .count(positions), .pointer(statistics.address), .float(epsilon),
            .pointer(y.address)])
    }

    /// `decayCoefficients` by row chunks with atomic adds (the order of summation varies).
    func decayCoefficientsInChunks(signal y: DeviceBuffer, currents u: DeviceBuffer, rows: Int, columns: Int, into decay: DeviceBuffer) throws {
        try zero(decay, bytes: columns * MemoryLayout<Float>.size)
        try launch("hebb_decay_chunks", .columnChunks(rows: rows, columns: columns), [
            .pointer(y.address), .pointer(u.address), .count(rows), .count(columns), .pointer(decay.address)])
    }

    /// `accumulateTally` by row chunks with atomic adds.
    func accumulateTallyInChunks(signal y: DeviceBuffer, currents u: DeviceBuffer, rows: Int, columns: Int, into tally: DeviceBuffer) throws {
        try launch("hebb_tally_chunks", .columnChunks(rows: rows, columns: columns), [
            .pointer(y.address), .pointer(u.address), .count(rows), .count(columns), .pointer(tally.address)])
    }
}

extension LaunchConfiguration {
    /// The chunked per-unit reductions: one block of `threads` (256: 32 columns × 8 row lanes) per
    /// tile of `KernelSources.chunkColumns` columns and chunk of `KernelSources.chunkRows` rows.
    public static func columnChunks(rows: Int, columns: Int) -> LaunchConfiguration {
        precondition(rows >= 0 && columns >= 0, "launch for \(rows) rows, \(columns) columns")
        let tiles = (columns + KernelSources.chunkColumns - 1) / KernelSources.chunkColumns
        let chunks = (rows + KernelSources.chunkRows - 1) / KernelSources.chunkRows
        precondition(tiles * chunks < Int(Int32.max), "launch for \(rows) rows, \(columns) columns")
        return LaunchConfiguration(blocks: tiles * chunks, threads: KernelSources.threadsPerBlock)
    }
}
