import HebbData
import HebbModel
import HebbTensor

// Shapes: S samples, B chunk rows, F features per sample entering or leaving a block, C channels,
// P output positions of a layer (1 when fully connected), N fan-in (patch width), O units (filters).

/// Every sample's features on a `Backend`: (S, F) floats, row-major.
struct DeviceFeatures {
    let buffer: DeviceBuffer
    /// Samples S and features per sample F.
    let (rows, columns): (Int, Int)

    /// Wraps `buffer`, which holds at least S·F floats.
    init(buffer: DeviceBuffer, rows: Int, columns: Int) {
        precondition(buffer.floatCount >= rows * columns, "\(buffer.floatCount) floats for \(rows)×\(columns) features")
        (self.buffer, self.rows, self.columns) = (buffer, rows, columns)
    }

    /// Uploads `features` (S, F).
    init(uploading features: Tensor, to backend: any Backend) throws {
        self.init(buffer: try backend.buffer(features.scalars), rows: features.rows, columns: features.columns)
    }
}

/// The evaluation-mode forward of frozen blocks on a `Backend`: what `FeatureSource` computes on
/// the host (`Block.forward(_:training: false)` block after block), for every image of a set,
/// chunk by chunk, into features that stay on the device for a device phase.
///
/// Per block, on the device: the input batch norm with the running statistics (`batchNormalise`;
/// dropout is off in evaluation), the layer — a convolution as unfold (patches centred for
/// `center1`), sgemm with ŵ (Hebbian, ŵ = sign(W)·|W|^(p−1) made once by `signedPower`) or W (BP),
/// the bias, SoftHebb's pre-triangle (`e1`, triangle with power 1 over each position's units) and
/// the reorder of position rows (B·P, O) to channel-major (B, O·P); a fully connected layer as one
/// sgemm and the bias — then the activation, the output batch norm and the pool. The host uploads
/// the parameters once and each chunk's images; only the last block writes outside the chunk's
/// work buffers, straight into its rows of the features. Which blocks qualify:
/// `DeviceForward.problem(of:)`.
final class DeviceForward {
    let backend: any Backend
    /// Features per sample entering the first block (the images' C·H·W) and leaving the last.
    let (inputWidth, outputWidth): (Int, Int)
    /// Rows per chunk: the work buffers stay within the budget given at initialisation.
    let chunkRows: Int
    private let stages: [Stage]
    /// Floats per sample of the ping-pong activations, the patches and the position rows.
    private let (activationWidth, patchWidth, positionRowWidth): (Int, Int, Int)

    /// Default bound on one chunk's work buffers (activations, patches, position rows): 256 MiB.
    static let defaultChunkBytes = 256 << 20

    /// Uploads the parameters of `prefix` (blocks `problem(of:)` accepts) for images of
    /// `inputWidth` values; chunks hold as many images as `chunkBytes` of work buffers allow (at
    /// least one, at most 1000: SoftHebb's test batch).
    init(backend: any Backend, prefix: Model, inputWidth: Int, chunkBytes: Int = DeviceForward.defaultChunkBytes) throws {
        if let problem = DeviceForward.problem(of: prefix) { preconditionFailure("device forward: \(problem)") }
        (self.backend, self.inputWidth) = (backend, inputWidth)
        var width = inputWidth
        var stages: [Stage] = []
        for block in prefix.blocks {
            let stage = try Stage(backend: backend, block: block, inputWidth: width)
            width = stage.outputWidth
            stages.append(stage)
        }
        self.stages = stages
        outputWidth = width
        activationWidth = stages.map { max($0.inputWidth, $0.layerWidth, $0.outputWidth) }.max() ?? 0
        patchWidth = stages.map { $0.geometry.map { $0.positions * $0.patchWidth } ?? 0 }.max() ?? 0
        positionRowWidth = stages.map { $0.geometry == nil ? 0 : $0.layerWidth }.max() ?? 0
        let bytesPerSample = (2 * activationWidth + patchWidth + positionRowWidth) * MemoryLayout<Float>.size
        chunkRows = bytesPerSample == 0 ? 1000 : min(1000, max(1, chunkBytes / bytesPerSample))
    }

    /// The outputs of the last block for every image of `images` (S, F_out), on the device.
    func features(of images: LabeledImages) throws -> DeviceFeatures {
        precondition(images.imageSize == inputWidth, "images of \(images.imageSize) values for a forward from \(inputWidth)")
        let float = MemoryLayout<Float>.size
        let out = try backend.allocate(bytes: images.count * outputWidth * float)
        let rows = min(chunkRows, max(images.count, 1))
        let work: WorkBuffers? = try stages.isEmpty ? nil : WorkBuffers(
            backend: backend, first: rows * activationWidth, second: rows * activationWidth, patches: rows * patchWidth,
            positionRows: rows * positionRowWidth)
        try FeatureSource.chunks(of: images, rows: Array(0..<images.count), size: rows) { chunk, x in
            let target = out.slice(offset: chunk.startIndex * outputWidth * float, bytes: chunk.count * outputWidth * float)
            guard let work else { return try x.scalars.withUnsafeBytes { try backend.upload($0, to: target, offset: 0) } }
            try x.scalars.withUnsafeBytes { try backend.upload($0, to: work.first, offset: 0) }
            try forward(rows: chunk.count, work: work, into: target)
        }
        return DeviceFeatures(buffer: out, rows: images.count, columns: outputWidth)
    }

    /// Runs every block on the first `rows` samples in `work.first` (which it overwrites) and
    /// writes the last block's output (rows, F_out) into `output`.
    func forward(rows: Int, work: WorkBuffers, into output: DeviceBuffer) throws {
        var (current, spare) = (work.first, work.second)
        for (index, stage) in stages.enumerated() {
            let last = index == stages.count - 1
            if let norm = stage.inputNorm { try norm.normalise(current, batch: rows, backend: backend) }
            let layerOutput = last && stage.pool == nil ? output : spare
            try stage.layerForward(current, rows: rows, work: work, into: layerOutput, backend: backend)
            try backend.activate(
                layerOutput, batch: rows, channels: stage.units, positions: stage.positions, function: stage.activation, into: layerOutput)
            if let norm = stage.outputNorm { try norm.normalise(layerOutput, batch: rows, backend: backend) }
            if let pool = stage.pool {
                // The block's input is spent: its buffer takes the pooled output.
                try backend.pool(layerOutput, batch: rows, geometry: pool, into: last ? output : current)
            } else {
                swap(&current, &spare)
            }
        }
    }

    /// A chunk's work buffers: two for the activations between blocks (the chunk's images start in
    /// `first`), a convolution's patches (B·P, N) and position rows (B·P, O).
    struct WorkBuffers {
        let first, second, patches, positionRows: DeviceBuffer

        /// Allocates buffers of the given numbers of floats.
        init(backend: any Backend, first: Int, second: Int, patches: Int, positionRows: Int) throws {
            let float = MemoryLayout<Float>.size
            self.first = try backend.allocate(bytes: first * float)
            self.second = try backend.allocate(bytes: second * float)
            self.patches = try backend.allocate(bytes: patches * float)
            self.positionRows = try backend.allocate(bytes: positionRows * float)
        }
    }
}
