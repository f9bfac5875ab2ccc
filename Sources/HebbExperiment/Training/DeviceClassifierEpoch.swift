import HebbModel
import HebbTensor

// Shapes: S training samples, T evaluation samples, B batch rows, F features, K classes.

/// Sums of one classifier epoch or evaluation pass, as the host loop keeps them.
struct ClassifierTotals: Equatable {
    /// Σ over batches of Double(batch mean loss) × batch rows.
    var lossSum: Double
    /// Correct arg-max predictions.
    var correct: Int
    /// Samples seen.
    var seen: Int
    /// Each batch's mean loss, when asked for (the post-hoc loss procedure).
    var batchLosses: [Float] = []
}

/// Supervised epochs of the model's final BP classifier block (dropout p → linear with bias,
/// softmax cross-entropy, Adam with the phase's rate) on the cached outputs of the frozen blocks
/// before it, with everything on a `Backend`.
///
/// What stays on the device for the whole phase: the training features (S, F) and labels, the
/// evaluation features (T, F) and labels (the features uploaded, or computed there by
/// `DeviceForward`), W (K, F), b (K), their Adam moments and the per-batch buffers. Per batch,
/// all on the device: gather the rows by the epoch's order, dropout with the host-drawn mask,
/// logits = x·Wᵀ + b (sgemm), the softmax cross-entropy gradient with the loss and correct count
/// added to the epoch's totals, dW = gᵀ·x (sgemm), db = Σ_r g, and the Adam steps.
/// The host draws the dropout masks from the trainer's generator exactly as `Dropout.forward`
/// would (so host and device agree), uploading them as bits in chunks of batches; it downloads the
/// totals, the weights and the moments once per epoch. The arithmetic is the host layers'.
final class DeviceClassifierEpoch {
    let backend: any Backend
    /// Index of the block in its model.
    let block: Int
    let dropout: Dropout?
    let (classes, features, samples, batchSize, evaluationChunk): (Int, Int, Int, Int, Int)
    /// Adam's constants and step count (the moments live on the device).
    private let optimizer: Adam
    private(set) var adamSteps: Int
    private let trainFeatures, trainLabels, order, weights, bias, x, logits, gradient, weightGradient, biasGradient: DeviceBuffer
    private let weightMoments, biasMoments: (first: DeviceBuffer, second: DeviceBuffer)
    private let totals, batchLosses, mask: DeviceBuffer
    private var hostMask: [UInt32]
    private let maskWordsPerBatch, batchesPerMaskChunk: Int
    /// The evaluation set: features, labels, the identity order 0..<T and T.
    private let evaluation: (features: DeviceBuffer, labels: DeviceBuffer, rows: DeviceBuffer, count: Int)?

    /// Default largest dropout mask chunk uploaded at once: 32 MiB of bits.
    static let defaultMaskChunkWords = 1 << 23

    /// Uploads the training features (S, F) and the evaluation features, then as the initialiser
    /// with device features.
    convenience init(
        backend: any Backend, block: Int, layer: Linear, dropout: Dropout?, features: Tensor, labels: [Int32],
        evaluation: (features: Tensor, labels: [Int32])?, batchSize: Int, evaluationChunk: Int, adam: Adam,
        maskChunkWords: Int = DeviceClassifierEpoch.defaultMaskChunkWords
    ) throws {
        try self.init(
            backend: backend, block: block, layer: layer, dropout: dropout, features: try DeviceFeatures(uploading: features, to: backend),
            labels: labels, evaluation: try evaluation.map { (try DeviceFeatures(uploading: $0.features, to: backend), $0.labels) },
            batchSize: batchSize, evaluationChunk: evaluationChunk, adam: adam, maskChunkWords: maskChunkWords)
    }

    /// Trains on the training features (S, F) on the device; uploads their labels, the evaluation
    /// labels (the evaluation features are on the device too), the layer and `adam`'s moments of
    /// it (a resumed phase). Dropout masks go up in chunks of whole batches of at most
    /// `maskChunkWords` words (at least one batch).
    init(
        backend: any Backend, block: Int, layer: Linear, dropout: Dropout?, features: DeviceFeatures, labels: [Int32],
        evaluation: (features: DeviceFeatures, labels: [Int32])?, batchSize: Int, evaluationChunk: Int, adam: Adam,
        maskChunkWords: Int = DeviceClassifierEpoch.defaultMaskChunkWords
    ) throws {
        precondition(features.columns == layer.weight.columns, "\(features.columns) features vs weights \(layer.weight.shape)")
        precondition(evaluation.map { $0.features.columns == features.columns && $0.features.rows == $0.labels.count } ?? true, "evaluation features")
        precondition(labels.count == features.rows, "\(labels.count) labels for \(features.rows) samples")
        (self.backend, self.block, self.optimizer) = (backend, block, adam)
        self.dropout = (dropout?.probability ?? 0) > 0 ? dropout : nil
        (classes, self.features, samples) = (layer.weight.rows, layer.weight.columns, features.rows)
        (self.batchSize, self.evaluationChunk) = (max(1, batchSize), max(1, evaluationChunk))
        let float = MemoryLayout<Float>.size
        let rows = max(min(self.batchSize, max(samples, 1)), min(self.evaluationChunk, max(evaluation?.labels.count ?? 1, 1)))
        trainFeatures = features.buffer
        trainLabels = try backend.buffer(labels)
        order = try backend.allocate(bytes: max(samples, 1) * MemoryLayout<Int32>.size)
        weights = try backend.buffer(layer.weight.scalars)
        bias = try backend.buffer(layer.bias.scalars)
        x = try backend.allocate(bytes: rows * self.features * float)
        logits = try backend.allocate(bytes: rows * classes * float)
        gradient = try backend.allocate(bytes: rows * classes * float)
        weightGradient = try backend.allocate(bytes: classes * self.features * float)
        biasGradient = try backend.allocate(bytes: classes * float)
        let prefix = Trainer.parameterPrefix(block: block)
        let state = adam.state
        adamSteps = adam.steps(of: prefix + "weight")
        func moments(_ name: String, count: Int) throws -> (first: DeviceBuffer, second: DeviceBuffer) {
            let zeros = [Float](repeating: 0, count: count)
            let (m, v) = (state[prefix + name + ".m"]?.scalars, state[prefix + name + ".v"]?.scalars)
            return (try backend.buffer(m?.count == count ? m! : zeros), try backend.buffer(v?.count == count ? v! : zeros))
        }
        weightMoments = try moments("weight", count: classes * self.features)
        biasMoments = try moments("bias", count: classes)
        totals = try backend.allocate(bytes: 2 * MemoryLayout<Double>.size)
        let batches = (samples + self.batchSize - 1) / self.batchSize
        batchLosses = try backend.allocate(bytes: max(batches, 1) * float)
        maskWordsPerBatch = (self.batchSize * self.features + 31) / 32
        batchesPerMaskChunk = max(1, min(batches, maskChunkWords / max(maskWordsPerBatch, 1)))
        let maskWords = self.dropout == nil ? 1 : batchesPerMaskChunk * maskWordsPerBatch
        hostMask = [UInt32](repeating: 0, count: maskWords)
        mask = try backend.allocate(bytes: maskWords * MemoryLayout<UInt32>.size)
        self.evaluation = try evaluation.map { set in
            (set.features.buffer, try backend.buffer(set.labels), try backend.buffer((0..<set.labels.count).map(Int32.init)), set.labels.count)
        }
    }

    /// One epoch over the samples in `order` with Adam rate `learningRate`; dropout draws from `rng`
    /// as the host loop would.
    func epoch(order sampleOrder: [Int], learningRate: Float, recordsBatchLosses: Bool, using rng: inout SeededGenerator) throws -> ClassifierTotals {
        precondition(sampleOrder.count <= samples, "an order of \(sampleOrder.count) for \(samples) samples")
        try sampleOrder.map { Int32($0) }.withUnsafeBytes { try backend.upload($0, to: order, offset: 0) }
        try backend.zero(totals, bytes: totals.bytes)
        let starts = Array(stride(from: 0, to: sampleOrder.count, by: batchSize))
        for first in stride(from: 0, to: starts.count, by: batchesPerMaskChunk) {
            let chunk = first..<min(first + batchesPerMaskChunk, starts.count)
            // Drawn while the device still runs the previous chunk; the upload waits for it.
            if let dropout {
                hostMask.withUnsafeMutableBufferPointer { words in
                    for batch in chunk {
                        let rows = min(batchSize, sampleOrder.count - starts[batch])
                        let slot = (batch - first) * maskWordsPerBatch
                        dropout.keepMask(count: rows * features, into: UnsafeMutableBufferPointer(rebasing: words[slot..<(slot + maskWordsPerBatch)]), using: &rng)
                    }
                }
                try hostMask.withUnsafeBytes { try backend.upload(UnsafeRawBufferPointer(rebasing: $0[..<(chunk.count * maskWordsPerBatch * 4)]), to: mask, offset: 0) }
            }
            for batch in chunk {
                let rows = min(batchSize, sampleOrder.count - starts[batch])
                try step(start: starts[batch], rows: rows, batch: batch, maskWords: (batch - first) * maskWordsPerBatch, learningRate: learningRate, recordsBatchLosses: recordsBatchLosses)
            }
        }
        var result = try downloadTotals(seen: sampleOrder.count)
        if recordsBatchLosses { result.batchLosses = try backend.values(batchLosses, count: starts.count) }
        return result
    }

    /// One batch: rows `start..<start + rows` of the uploaded order, batch `batch` of the epoch.
    private func step(start: Int, rows: Int, batch: Int, maskWords: Int, learningRate: Float, recordsBatchLosses: Bool) throws {
        let b = backend
        try b.gatherRows(trainFeatures, indices: order, offset: start, rows: rows, columns: features, into: x)
        if let dropout { try b.applyDropout(x, count: rows * features, mask: mask, wordOffset: maskWords, scale: dropout.scale) }
        try forward(rows: rows)
        try b.softmaxCrossEntropy(
            logits, rows: rows, classes: classes, labels: trainLabels, indices: order, offset: start, gradient: gradient, totals: totals,
            batchLosses: recordsBatchLosses ? batchLosses : nil, batch: batch)
        // dW = gᵀ·x, db = Σ_r g (Linear.backward)
        try b.gemm(.transposed, .none, m: classes, n: features, k: rows, alpha: 1, a: gradient, lda: classes, b: x, ldb: features, beta: 0, c: weightGradient, ldc: features)
        try b.columnSums(gradient, rows: rows, columns: classes, into: biasGradient)
        adamSteps += 1
        let (stepSize, root) = optimizer.biasCorrection(step: adamSteps, learningRate: learningRate)
        let coefficients = AdamCoefficients(beta1: optimizer.beta1, beta2: optimizer.beta2, epsilon: optimizer.epsilon, stepSize: stepSize, root: root)
        try b.adamStep(weights, gradient: weightGradient, firstMoments: weightMoments.first, secondMoments: weightMoments.second, count: classes * features, coefficients: coefficients)
        try b.adamStep(bias, gradient: biasGradient, firstMoments: biasMoments.first, secondMoments: biasMoments.second, count: classes, coefficients: coefficients)
    }

    /// logits = x·Wᵀ + b for the first `rows` rows of x (Linear.forward).
    private func forward(rows: Int) throws {
        try backend.gemm(.none, .transposed, m: rows, n: classes, k: features, alpha: 1, a: x, lda: features, b: weights, ldb: features, beta: 0, c: logits, ldc: classes)
        try backend.addBias(logits, bias: bias, rows: rows, columns: classes)
    }

    /// Accuracy (percent) and mean loss on the evaluation set in chunks of `evaluationChunk`, as
    /// `Evaluation.classify(suffix:features:labels:loss:)`; nil when no evaluation set was uploaded.
    func evaluate() throws -> (accuracy: Float, loss: Float)? {
        guard let evaluation else { return nil }
        try backend.zero(totals, bytes: totals.bytes)
        for start in stride(from: 0, to: evaluation.count, by: evaluationChunk) {
            let rows = min(evaluationChunk, evaluation.count - start)
            try backend.gatherRows(evaluation.features, indices: evaluation.rows, offset: start, rows: rows, columns: features, into: x)
            try forward(rows: rows)
            try backend.softmaxCrossEntropy(
                logits, rows: rows, classes: classes, labels: evaluation.labels, indices: evaluation.rows, offset: start,
                gradient: gradient, totals: totals, batchLosses: nil, batch: 0)
        }
        let sums = try downloadTotals(seen: evaluation.count)
        let n = max(1, evaluation.count)
        return (100 * Float(sums.correct) / Float(n), Float(sums.lossSum / Double(n)))
    }

    private func downloadTotals(seen: Int) throws -> ClassifierTotals {
        let sums: [Double] = try backend.values(totals, count: 2)
        return ClassifierTotals(lossSum: sums[0], correct: Int(sums[1]), seen: seen)
    }

    /// The current layer (W, b), downloaded.
    func downloadLayer() throws -> Linear {
        Linear(
            weight: Tensor(shape: [classes, features], scalars: try backend.values(weights, count: classes * features)),
            bias: Tensor(shape: [classes], scalars: try backend.values(bias, count: classes)))
    }

    /// `adam` with this block's moments and step count replaced by the device's (unchanged before the first step).
    func downloadOptimizer(into adam: Adam) throws -> Adam {
        guard adamSteps > 0 else { return adam }
        var state = adam.state
        let prefix = Trainer.parameterPrefix(block: block)
        for (name, count, buffers) in [("weight", classes * features, weightMoments), ("bias", classes, biasMoments)] {
            state[prefix + name + ".m"] = Tensor(shape: [count], scalars: try backend.values(buffers.first, count: count))
            state[prefix + name + ".v"] = Tensor(shape: [count], scalars: try backend.values(buffers.second, count: count))
            state[prefix + name + ".step"] = Tensor(shape: [1], scalars: [Float(adamSteps)])
        }
        return Adam(state: state)
    }
}
