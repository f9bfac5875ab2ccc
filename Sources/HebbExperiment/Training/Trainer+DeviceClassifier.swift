import HebbData
import HebbModel
import HebbTensor

// Supervised phases on the device (`--device cuda`, see DeviceClassifierEpoch): a phase that trains
// only the model's final block, a linear classifier (optional dropout, no norms, pooling or
// activation) under cross-entropy, on the outputs of the frozen blocks before it, computed on the
// device (Trainer+DeviceForward) or cached on the host and uploaded. The evaluation of its print
// epochs runs there too. Other supervised and hybrid phases run on the host
// (Trainer+Device says so).

extension Trainer {
    /// The device runner of `phase` when it trains only the final linear classifier on cached
    /// features; nil otherwise (then `deviceEpoch` says where the phase runs).
    func deviceClassifier(
        phase: Phase, index: Int, data: DatasetSplits, source: FeatureSource, frozen: FrozenFeaturesPlan?, adam: Adam,
        emit: (TrainingEvent) throws -> Void
    ) throws -> DeviceClassifierEpoch? {
        guard let backend, let frozen, let block = deviceClassifierBlock(phase: phase), case .linear(let layer) = model.blocks[block].layer,
            let features = try frozen.features(of: data.train, hostCache: source.cached, backend: backend)
        else { return nil }
        let evaluation = evaluatesOnPrintEpochs
            ? try frozen.features(
                of: data.evaluation,
                hostCache: FeatureSource(images: data.evaluation, prefix: source.prefix, augmentation: .none, caching: cachesFrozenFeatures).cached,
                backend: backend)
            : nil
        let device = try DeviceClassifierEpoch(
            backend: backend, block: block, layer: layer, dropout: model.blocks[block].dropout, features: features,
            labels: data.train.labels, evaluation: evaluation.map { ($0, data.evaluation.labels) }, batchSize: phase.batchSize,
            evaluationChunk: FeatureSource.chunkSize(for: Model(blocks: [model.blocks[block]])), adam: adam)
        try emit(.note(
            "Phase \(index): block \(block) (linear classifier) trains on \(backend.name); features, weights, Adam moments"
                + " and batches stay on the device, dropout masks are drawn on the host"
                + (evaluation == nil ? "" : ", evaluation runs on the device") + frozen.note))
        return device
    }

    /// The block of a phase the device classifier can run: the model's last block, alone in a
    /// supervised phase, Flatten → Dropout → Linear with bias and no activation, cross-entropy.
    func deviceClassifierBlock(phase: Phase) -> Int? {
        guard phase.kind == .supervised, phase.blocks == [model.blocks.count - 1], let block = phase.blocks.first,
            resolved.loss == .crossEntropy
        else { return nil }
        let b = model.blocks[block]
        guard case .linear = b.layer, b.inputNorm == nil, b.outputNorm == nil, b.pool == nil, b.activation == .identity else { return nil }
        return block
    }

    /// One epoch of `device`: copies the layer and its Adam moments back into the model and
    /// `adam` and returns the epoch's loss and accuracy sums.
    mutating func runDeviceClassifierEpoch(
        _ device: DeviceClassifierEpoch, order: [Int], rate: Float, epoch: Int, steps: Int, index: Int,
        rng: inout SeededGenerator, adam: inout Adam, emit: (TrainingEvent) throws -> Void
    ) throws -> ClassifierTotals {
        let block = device.block
        let totals = try device.epoch(order: order, learningRate: rate, recordsBatchLosses: recordsBatchLosses, using: &rng)
        guard totals.lossSum.isFinite else {
            throw TrainingError.nonFinite(what: "the loss (device)", block: block, epoch: epoch, step: steps)
        }
        model.blocks[block].layer = .linear(try device.downloadLayer())
        if model.firstNonFiniteParameters(among: [block]) != nil {
            throw TrainingError.nonFinite(what: "the weights after the Adam step (device)", block: block, epoch: epoch, step: steps)
        }
        adam = try device.downloadOptimizer(into: adam)
        try emit(.batchEnded(index: index, epoch: epoch, step: steps, steps: steps))
        return totals
    }
}
