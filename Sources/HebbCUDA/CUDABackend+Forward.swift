import HebbTensor

// Shapes: B samples, C channels, P positions per channel (H·W).

/// The frozen blocks' evaluation-mode forward on the device (the kernels of `KernelSources.forward`).
extension CUDABackend {
    public func channelsFirst(_ rows: DeviceBuffer, batch: Int, positions: Int, channels: Int, into out: DeviceBuffer) throws {
        precondition(rows.address != out.address, "channelsFirst cannot reorder in place")
        let tile = KernelSources.transposeTile
        let tiles = batch * ((positions + tile - 1) / tile) * ((channels + tile - 1) / tile)
        try launch("hebb_channels_first", .tiles(tiles), [
            .pointer(rows.address), .count(batch), .count(positions), .count(channels), .pointer(out.address)])
    }

    public func centreRows(_ x: DeviceBuffer, rows: Int, columns: Int) throws {
        try launch("hebb_centre_rows", .elementwise(count: rows), [.pointer(x.address), .count(rows), .count(columns)])
    }

    public func activate(_ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, function: ActivationFunction, into y: DeviceBuffer) throws {
        if function == .identity && x.address == y.address { return }
        let (kind, parameter) = Self.activationKind(function)
        switch kind {
        case .triangle, .softmax, .hardMax:
            try launch("hebb_channel_activation", .elementwise(count: batch * positions), [
                .pointer(x.address), .count(batch), .count(channels), .count(positions), .int(kind.rawValue), .float(parameter),
                .pointer(y.address)])
        case .identity, .rectifiedPower, .sigmoid, .tanh, .exponential:
            try launch("hebb_pointwise_activation", .elementwise(count: batch * channels * positions), [
                .pointer(x.address), .count(batch), .count(channels * positions), .int(kind.rawValue), .float(parameter),
                .pointer(y.address)])
        }
    }

    public func pool(_ x: DeviceBuffer, batch: Int, geometry g: PoolGeometry, into y: DeviceBuffer) throws {
        precondition(g.problem == nil && x.address != y.address, "pool: \(g.problem ?? "cannot write in place")")
        let planes = batch * g.channels
        try launch("hebb_pool", .elementwise(count: planes * g.outputHeight * g.outputWidth), [
            .pointer(x.address), .count(planes), .count(g.inputHeight), .count(g.inputWidth), .count(g.kernelSize), .count(g.stride),
            .count(g.padding), .count(g.outputHeight), .count(g.outputWidth), .int(g.kind == .average ? 1 : 0), .pointer(y.address)])
    }

    /// The kernels' kind and parameter of `function` (relu is the rectified power 1).
    static func activationKind(_ function: ActivationFunction) -> (KernelSources.ActivationKind, Float) {
        switch function {
        case .identity: return (.identity, 0)
        case .relu: return (.rectifiedPower, 1)
        case .repu(let power): return (.rectifiedPower, power)
        case .triangle(let power): return (.triangle, power)
        case .softmax(let inverseTemperature): return (.softmax, inverseTemperature)
        case .sigmoid(let beta): return (.sigmoid, beta)
        case .tanh(let beta): return (.tanh, beta)
        case .exponential(let inverseTemperature): return (.exponential, inverseTemperature)
        case .hardMax: return (.hardMax, 0)
        }
    }
}

extension LaunchConfiguration {
    /// A grid-stride kernel over `count` tiles, one block of `threads` per tile up to
    /// `maximumGridStrideBlocks` blocks (the channel-major transpose).
    public static func tiles(_ count: Int, threads: Int = KernelSources.threadsPerBlock) -> LaunchConfiguration {
        precondition(count >= 0, "launch for \(count) tiles")
        return LaunchConfiguration(blocks: min(count, maximumGridStrideBlocks), threads: threads)
    }
}
