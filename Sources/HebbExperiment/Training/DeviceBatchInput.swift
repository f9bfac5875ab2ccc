import HebbModel
import HebbTensor

// Shapes: S training samples, B batch rows, F features per sample entering the block (C·H·W for a
// convolution), C channels, P output positions per sample (1 when fully connected), N fan-in.

/// The trained layer's inputs for one batch, built on a `Backend` from features on the device for
/// the whole phase (uploaded, or computed there by `DeviceForward`): the batch's rows gathered by the epoch's order, then, for a convolution, the block's
/// input batch norm in training mode (`DeviceBatchNorm`) and the unfolded patches (B·P, N).
final class DeviceBatchInput {
    let backend: any Backend
    /// Samples uploaded and features per sample.
    let (samples, width): (Int, Int)
    /// The layer's convolution shape; nil for a fully connected layer.
    let geometry: ConvolutionGeometry?
    /// The block's input batch norm on the device, if it has one.
    let norm: DeviceBatchNorm?
    private let features, order, gathered: DeviceBuffer
    private let patches: DeviceBuffer?

    /// Reads `features` (S, F, already on the device); buffers are sized for batches of up to
    /// `batchSize` rows.
    init(backend: any Backend, features: DeviceFeatures, geometry: ConvolutionGeometry?, norm: BatchNorm?, batchSize: Int) throws {
        (self.backend, self.geometry, samples, width) = (backend, geometry, features.rows, features.columns)
        let float = MemoryLayout<Float>.size
        let rows = min(batchSize, max(samples, 1))
        self.features = features.buffer
        order = try backend.allocate(bytes: max(samples, 1) * MemoryLayout<Int32>.size)
        gathered = try backend.allocate(bytes: rows * width * float)
        if let geometry {
            precondition(geometry.problem == nil && geometry.groups == 1 && geometry.inputSize == width, "device conv input: \(geometry) for \(width) features")
            patches = try backend.allocate(bytes: rows * geometry.positions * geometry.patchWidth * float)
        } else {
            patches = nil
        }
        self.norm = try norm.map { [width = features.columns] in try DeviceBatchNorm(backend: backend, norm: $0, width: width) }
    }

    /// Competitions per sample: the convolution's output positions, 1 when fully connected.
    var positions: Int { geometry?.positions ?? 1 }

    /// Uploads the epoch's sample order.
    func upload(order sampleOrder: [Int]) throws {
        precondition(sampleOrder.count <= samples, "an order of \(sampleOrder.count) for \(samples) samples")
        try sampleOrder.map { Int32($0) }.withUnsafeBytes { try backend.upload($0, to: order, offset: 0) }
    }

    /// The layer's input rows (B·P, N) for rows `start..<start + rows` of the uploaded order.
    func batch(start: Int, rows: Int) throws -> DeviceBuffer {
        try backend.gatherRows(features, indices: order, offset: start, rows: rows, columns: width, into: gathered)
        try norm?.normalise(gathered, batch: rows)
        guard let geometry, let patches else { return gathered }
        try backend.unfold(gathered, batch: rows, geometry: geometry, into: patches)
        return patches
    }
}

/// An affine-free `BatchNorm` in training mode on a `Backend`: per batch, the batch statistics
/// (normalising with the biased variance) and the running statistics' update (momentum, unbiased
/// variance), exactly `BatchNorm.forward(_:training: true)`; the running statistics stay on the
/// device until `downloaded()`.
final class DeviceBatchNorm {
    let backend: any Backend
    /// The host normaliser this one started from (channels, ε, momentum).
    let original: BatchNorm
    /// Values per channel in one sample.
    let positions: Int
    private let statistics, running: DeviceBuffer

    /// Uploads `norm`'s running statistics for samples of `width` = C·P features; P must exceed 1
    /// (so every batch has more than one value per channel and normalises with its own statistics).
    init(backend: any Backend, norm: BatchNorm, width: Int) throws {
        precondition(norm.channels > 0 && width % norm.channels == 0 && width / norm.channels > 1, "device batch norm: \(norm.channels) channels of \(width) features")
        (self.backend, original, positions) = (backend, norm, width / norm.channels)
        statistics = try backend.allocate(bytes: 2 * norm.channels * MemoryLayout<Double>.size)
        running = try backend.buffer(norm.runningMean + norm.runningVariance)
    }

    /// Normalises x (B, C·P) in place with its batch statistics and updates the running statistics.
    func normalise(_ x: DeviceBuffer, batch: Int) throws {
        let channels = original.channels
        try backend.batchNormStatistics(x, batch: batch, channels: channels, positions: positions, into: statistics)
        try backend.updateRunningStatistics(statistics, channels: channels, count: batch * positions, momentum: original.momentum, running: running)
        try backend.batchNormalise(x, batch: batch, channels: channels, positions: positions, statistics: statistics, epsilon: original.epsilon, into: x)
    }

    /// The normaliser with the device's running statistics (downloaded).
    func downloaded() throws -> BatchNorm {
        let values: [Float] = try backend.values(running, count: 2 * original.channels)
        var norm = original
        norm.runningMean = Array(values[..<original.channels])
        norm.runningVariance = Array(values[original.channels...])
        return norm
    }
}
