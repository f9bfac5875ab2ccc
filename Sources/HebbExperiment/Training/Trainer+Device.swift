import HebbData
import HebbModel
import HebbRules
import HebbTensor

// What runs on the device with `--device cuda` (see DeviceHebbianEpoch): unsupervised phases that
// train exactly one Hebbian block with the SoftHebb (soft/softkrotov) or Krotov–Hopfield rule and
// dot-product currents, without pre-triangle, dropout, output norm or batch augmentation, on the
// images (block 0) or the frozen blocks' outputs, computed once per phase on the device
// (Trainer+DeviceForward) or, where it cannot, cached on the host and uploaded:
// - a fully connected block without an input norm (KrotovMlpMNIST, 2SoftMlpMNIST's block 0);
// - a convolutional block with one group, optionally with an input batch norm over more than one
//   position per channel (every SoftHebb CNN block: `batchnorm2d`, reflect-padded conv).
// and supervised phases of the final linear classifier on cached features (Trainer+DeviceClassifier).
// Everything else (hard WTA and other rules, grouped or pre-triangle convs, other BP phases,
// evaluation) runs on the host, and the phase's first line says so.

extension Trainer {
    /// The device runner for `phase`, or nil when it runs on the host (with a note when a backend was asked for).
    func deviceEpoch(
        phase: Phase, index: Int, data: DatasetSplits, source: FeatureSource, frozen: FrozenFeaturesPlan?,
        rules: [Int: any LearningRule], schedules: [Int: LearningRateSchedule], emit: (TrainingEvent) throws -> Void
    ) throws -> DeviceHebbianEpoch? {
        guard let backend else { return nil }
        let reason: String
        if let (block, rule, schedule) = deviceEligible(phase: phase, data: data, rules: rules, schedules: schedules),
            let layer = model.blocks[block].hebbianLayer
        {
            if let frozen, let features = try frozen.features(of: data.train, hostCache: source.cached, backend: backend) {
                let epoch = try DeviceHebbianEpoch(
                    backend: backend, block: block, layer: layer, inputNorm: model.blocks[block].inputNorm, rule: rule, schedule: schedule,
                    features: features, batchSize: phase.batchSize)
                let what = layer.geometry == nil ? "features, weights and batches" : "features, weights, batch norm, patches and batches"
                try emit(.note("Phase \(index): block \(block) trains on \(backend.name); \(what) stay on the device\(frozen.note)"))
                return epoch
            }
            reason = "the frozen blocks' features are not cached, so every batch runs them on the host (\(frozen?.hostReason ?? "no plan"))"
        } else if phase.kind != .unsupervised {
            reason = "supervised phases run on the host unless they train only the final linear classifier (dropout → linear, cross-entropy) on cached features of frozen blocks"
        } else {
            reason = "only a single soft/softkrotov/Krotov block runs on the device: fully connected without input norm, or convolutional "
                + "with one group, no pre-triangle and no centred patches; dot-product currents, no dropout, output norm or augmentation"
        }
        try emit(.note("Phase \(index): runs on the CPU, not \(backend.name): \(reason)"))
        return nil
    }

    /// The block, rule and schedule of a phase the device can run.
    func deviceEligible(
        phase: Phase, data: DatasetSplits, rules: [Int: any LearningRule], schedules: [Int: LearningRateSchedule]
    ) -> (Int, DeviceRule, LearningRateSchedule)? {
        guard phase.kind == .unsupervised, phase.blocks.count == 1, let block = phase.blocks.first,
            let rule = rules[block].flatMap(DeviceRule.init), let schedule = schedules[block],
            data.augmentation.isIdentity
        else { return nil }
        let b = model.blocks[block]
        guard let layer = b.hebbianLayer, !layer.preTriangle, !layer.centersPatches, layer.similarity == .dot, b.outputNorm == nil,
            (b.dropout?.probability ?? 0) == 0
        else { return nil }
        if let geometry = layer.geometry {
            guard geometry.problem == nil, geometry.groups == 1 else { return nil }
            // The batch norm normalises with batch statistics only with more than one value per channel.
            if let norm = b.inputNorm, norm.channels != geometry.inputChannels || geometry.inputHeight * geometry.inputWidth < 2 { return nil }
        } else if b.inputNorm != nil {
            return nil
        }
        return (block, rule, schedule)
    }

    /// One epoch of `device`: copies weights, radii and the input norm's running statistics back
    /// into the model and returns the tally.
    mutating func runDeviceEpoch(
        _ device: DeviceHebbianEpoch, order: [Int], epoch: Int, steps: Int, index: Int, emit: (TrainingEvent) throws -> Void
    ) throws -> [Int: WinTally] {
        let block = device.block
        let (tally, updates) = try device.epoch(order: order, firstUpdate: updateCounts[block])
        updateCounts[block] += updates
        let radii = try device.downloadRadii()
        guard radii.allSatisfy(\.isFinite) else {
            throw TrainingError.nonFinite(what: "the weights after the Hebbian update (device)", block: block, epoch: epoch, step: steps)
        }
        let weights = try device.downloadWeights()
        model.blocks[block].withHebbianLayer { layer in layer.updateWeights { $0 = weights } }
        if let norm = try device.downloadInputNorm() { model.blocks[block].inputNorm = norm }
        radiiCache[block] = radii
        try emit(.batchEnded(index: index, epoch: epoch, step: steps, steps: steps))
        return [block: tally]
    }
}
