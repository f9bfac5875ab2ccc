// Shapes: B samples, C channels, P positions per channel (H·W; 1 when fully connected).

/// The evaluation-mode forward of frozen blocks on the host backend: the host's own code
/// (`Kernels.centreRows`, `ActivationFunction.apply`, `Tensor.pooled`) or a plain copy, so the device path on this
/// backend reproduces `Block.forward` bit for bit.
extension CPUBackend {
    public func channelsFirst(_ rows: DeviceBuffer, batch: Int, positions: Int, channels: Int, into out: DeviceBuffer) throws {
        precondition(rows.address != out.address, "channelsFirst cannot reorder in place")
        let (source, target) = (floats(rows), floats(out))
        for b in 0..<batch {
            let (from, to) = (source + b &* positions &* channels, target + b &* channels &* positions)
            for p in 0..<positions {
                for c in 0..<channels { to[c &* positions &+ p] = from[p &* channels &+ c] }
            }
        }
    }

    public func centreRows(_ x: DeviceBuffer, rows: Int, columns: Int) throws {
        Kernels.centreRows(UnsafeMutableBufferPointer(start: floats(x), count: rows * columns), rows: rows, columns: columns)
    }

    public func activate(_ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, function: ActivationFunction, into y: DeviceBuffer) throws {
        let count = batch * channels * positions
        if x.address != y.address { floats(y).update(from: floats(x), count: count) }
        function.apply(to: UnsafeMutableBufferPointer(start: floats(y), count: count), rows: batch, channels: channels, positions: positions)
    }

    public func pool(_ x: DeviceBuffer, batch: Int, geometry: PoolGeometry, into y: DeviceBuffer) throws {
        precondition(x.address != y.address, "pool cannot write in place")
        let width = geometry.channels * geometry.inputHeight * geometry.inputWidth
        let input = Tensor(shape: [batch, width], scalars: Array(UnsafeBufferPointer(start: floats(x), count: batch * width)))
        let output = input.pooled(geometry).output
        output.scalars.withUnsafeBufferPointer { if let base = $0.baseAddress { floats(y).update(from: base, count: $0.count) } }
    }
}
