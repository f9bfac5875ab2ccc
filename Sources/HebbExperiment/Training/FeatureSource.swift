import HebbText
import HebbData
import HebbModel
import HebbTensor

/// Batches of inputs to the first block a phase trains.
///
/// Blocks before it are frozen (evaluation mode, deterministic), so their outputs are computed
/// once per phase and cached, unless batch-time augmentation makes every pass different or the cache
/// would exceed `cacheBudgetBytes` (then every batch recomputes them).
struct FeatureSource {
    /// Largest feature cache kept in memory: 60 % of physical memory (CIFAR-10 through
    /// 4SoftHebbCnnCIFAR's three conv blocks needs 4.9 GB; KrotovCnnFashionMNIST's 57 600 features
    /// per image need 13.8 GB). Beyond it, frozen blocks are recomputed for every batch.
    static let cacheBudgetBytes = Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.6)

    let images: LabeledImages
    let prefix: Model
    let cached: Tensor?
    let augmentation: BatchAugmentation
    private var buffer: [Float] = []

    /// Prepares the source for `images` passed through `prefix` (frozen blocks).
    init(images: LabeledImages, prefix: Model, augmentation: BatchAugmentation, caching: Bool = true) {
        self.images = images
        self.prefix = prefix
        self.augmentation = augmentation
        let bytes = images.count * (prefix.blocks.last?.outputSize ?? 0) * MemoryLayout<Float>.size
        if prefix.blocks.isEmpty || !augmentation.isIdentity || !caching || bytes > FeatureSource.cacheBudgetBytes {
            cached = nil
        } else {
            cached = FeatureSource.run(prefix, over: images)
        }
    }

    /// Inputs for rows `indices` of the images: (B, F).
    mutating func batch(_ indices: ArraySlice<Int>, using rng: inout SeededGenerator) -> Tensor {
        if let cached {
            let width = cached.columns
            buffer.removeAll(keepingCapacity: true)
            cached.scalars.withUnsafeBufferPointer { source in
                for i in indices { buffer.append(contentsOf: source[(i * width)..<((i + 1) * width)]) }
            }
            return Tensor(shape: [indices.count, width], scalars: buffer)
        }
        images.fillBatch(indices: indices, into: &buffer, augmentation: augmentation, using: &rng)
        var x = Tensor(shape: [indices.count, images.imageSize], scalars: buffer)
        if !prefix.blocks.isEmpty { x = FeatureSource.forward(prefix, x) }
        return x
    }

    /// Outputs of `model` in evaluation mode for every image, chunk by chunk.
    static func run(_ model: Model, over images: LabeledImages) -> Tensor {
        var out: [Float] = []
        var width = 0
        chunks(of: images, rows: Array(0..<images.count), size: chunkSize(for: model)) { _, x in
            let y = forward(model, x)
            if out.isEmpty {
                width = y.columns
                out.reserveCapacity(images.count * width)  // one allocation: no regrowth copies of a multi-GB cache
            }
            out.append(contentsOf: y.scalars)
        }
        return Tensor(shape: [images.count, width], scalars: out)
    }

    /// Rows per evaluation chunk: 1000 (SoftHebb's test batch), fewer when a convolution's patches
    /// or currents would exceed 32 MiB. A chunk's forward holds a few such tensors at once
    /// (patches, currents in both layouts, activations), so this bounds the peak memory of the
    /// feature cache build (128 MiB chunks put 4SoftHebbCnnCIFAR's block-1 phase at 1 GiB RSS).
    static func chunkSize(for model: Model) -> Int {
        let perSample = model.blocks.map { block -> Int in
            guard let g = block.hebbianLayer?.geometry ?? block.convolutionGeometry else { return 0 }
            return g.positions * max(g.inputChannels * g.kernelSize * g.kernelSize, g.outputChannels)
        }.max() ?? 0
        return perSample == 0 ? 1000 : min(1000, max(16, (1 << 23) / perSample))
    }

    /// Calls `body` with each chunk of up to `size` of `rows` and its pixels as a (B, C·H·W) batch.
    static func chunks(of images: LabeledImages, rows: [Int], size: Int, _ body: (ArraySlice<Int>, Tensor) throws -> Void) rethrows {
        var buffer: [Float] = []
        for start in stride(from: 0, to: rows.count, by: size) {
            let chunk = rows[start..<min(start + size, rows.count)]
            images.fillBatch(indices: chunk, into: &buffer)
            try body(chunk, Tensor(shape: [chunk.count, images.imageSize], scalars: buffer))
        }
    }

    /// Evaluation-mode forward through every block of `model`.
    static func forward(_ model: Model, _ x: Tensor) -> Tensor {
        var copy = model
        var rng = SeededGenerator(seed: 0)  // evaluation mode draws nothing
        var h = x
        for i in copy.blocks.indices { h = copy.blocks[i].forward(h, training: false, using: &rng).output }
        return h
    }
}
