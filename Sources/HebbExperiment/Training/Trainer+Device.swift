import HebbData
import HebbModel
import HebbRules
import HebbTensor

// What runs on the device with `--device cuda` (see DeviceHebbianEpoch): unsupervised phases that
// train exactly one fully connected Hebbian block with the SoftHebb (soft/softkrotov) or
// Krotov–Hopfield rule, without input norm, dropout, output norm or batch augmentation; and
// supervised phases of the final linear classifier on cached features (Trainer+DeviceClassifier).
// Everything else (conv Hebbian blocks, hard WTA, other BP phases, frozen prefixes) runs on the
// host, and the phase's first line says so.

extension Trainer {
    /// The device runner for `phase`, or nil when it runs on the host (with a note when a backend was asked for).
    func deviceEpoch(
        phase: Phase, index: Int, data: DatasetSplits, source: FeatureSource, rules: [Int: any LearningRule],
        schedules: [Int: LearningRateSchedule], emit: (TrainingEvent) throws -> Void
    ) throws -> DeviceHebbianEpoch? {
        guard let backend else { return nil }
        let reason: String
        if let (block, rule, schedule) = deviceEligible(phase: phase, data: data, rules: rules, schedules: schedules),
            let layer = model.blocks[block].hebbianLayer
        {
            let features = source.cached ?? FeatureSource.run(Model(blocks: []), over: data.train)
            let epoch = try DeviceHebbianEpoch(
                backend: backend, block: block, layer: layer, rule: rule, schedule: schedule, features: features, batchSize: phase.batchSize)
            try emit(.note("Phase \(index): block \(block) trains on \(backend.name); features, weights and batches stay on the device"))
            return epoch
        } else if phase.kind != .unsupervised {
            reason = "supervised phases run on the host unless they train only the final linear classifier (dropout → linear, cross-entropy) on cached features of frozen blocks"
        } else if phase.blocks.contains(where: { model.blocks[$0].hebbianLayer?.geometry != nil }) {
            reason = "convolutional Hebbian blocks run on the host (device conv epoch not implemented)"
        } else {
            reason = "only a single fully connected soft/softkrotov/Krotov block without norms, dropout or augmentation runs on the device"
        }
        try emit(.note("Phase \(index): runs on the CPU, not \(backend.name): \(reason)"))
        return nil
    }

    /// The block, rule and schedule of a phase the device can run.
    private func deviceEligible(
        phase: Phase, data: DatasetSplits, rules: [Int: any LearningRule], schedules: [Int: LearningRateSchedule]
    ) -> (Int, DeviceRule, LearningRateSchedule)? {
        guard phase.kind == .unsupervised, phase.blocks.count == 1, let block = phase.blocks.first,
            let rule = rules[block].flatMap(DeviceRule.init), let schedule = schedules[block],
            data.augmentation.isIdentity
        else { return nil }
        let b = model.blocks[block]
        guard let layer = b.hebbianLayer, layer.geometry == nil, !layer.preTriangle, b.inputNorm == nil, b.outputNorm == nil,
            (b.dropout?.probability ?? 0) == 0
        else { return nil }
        return (block, rule, schedule)
    }

    /// One epoch of `device`: copies weights and radii back into the model and returns the tally.
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
        radiiCache[block] = radii
        try emit(.batchEnded(index: index, epoch: epoch, step: steps, steps: steps))
        return [block: tally]
    }
}
