import HebbText
import HebbData
import HebbModel
import HebbRules
import HebbTensor

// The frozen blocks before the block a device phase trains (`--device cuda`): their evaluation-mode
// forward runs on the device too (DeviceForward), for the training images and, for the classifier,
// the evaluation images, and their outputs stay there as the phase's inputs; no host cache is
// built. Otherwise (a block the device cannot run, caching off, batch augmentation, outputs over the
// cache budget) the host computes and caches them (FeatureSource) and the phase uploads the cache,
// as before, and the phase's note says why.

/// Where the inputs of a phase that trains on the device come from.
struct FrozenFeaturesPlan {
    /// The frozen blocks' forward on the device (the images' upload for block 0); nil when the
    /// host computes their outputs.
    let forward: DeviceForward?
    /// Why the frozen blocks do not run on the device (nil when they do).
    let hostReason: String?
    /// Number of frozen blocks.
    let frozenBlocks: Int

    /// The phase note's words about the frozen blocks ("" for block 0, whose inputs are the images).
    var note: String {
        guard frozenBlocks > 0 else { return "" }
        let (blocks, its) = frozenBlocks == 1 ? ("block 0 runs", "its") : ("blocks 0–\(frozenBlocks - 1) run", "their")
        if let forward {
            return "; the frozen \(blocks) forward there too (evaluation mode, chunks of \(forward.chunkRows) images)"
        }
        return "; the frozen \(blocks) on the host (\(hostReason ?? "")), \(its) outputs cached and uploaded"
    }

    /// Every image's input to the phase's first block on the device: the device forward's outputs,
    /// else `hostCache` (the host's cached outputs) uploaded; nil when there is neither.
    func features(of images: LabeledImages, hostCache: @autoclosure () -> Tensor?, backend: any Backend) throws -> DeviceFeatures? {
        if let forward { return try forward.features(of: images) }
        return try hostCache().map { try DeviceFeatures(uploading: $0, to: backend) }
    }
}

extension Trainer {
    /// The plan for the inputs of `phase` when it trains on the device (its block is eligible for
    /// `deviceClassifier` or `deviceEpoch`), nil otherwise (host phases cache frozen outputs on the host).
    func frozenFeaturesPlan(
        phase: Phase, data: DatasetSplits, prefix: Model, rules: [Int: any LearningRule], schedules: [Int: LearningRateSchedule]
    ) throws -> FrozenFeaturesPlan? {
        guard let backend,
            deviceClassifierBlock(phase: phase) != nil || deviceEligible(phase: phase, data: data, rules: rules, schedules: schedules) != nil
        else { return nil }
        if let reason = frozenForwardProblem(prefix: prefix, data: data) {
            return FrozenFeaturesPlan(forward: nil, hostReason: reason, frozenBlocks: prefix.blocks.count)
        }
        let forward = try DeviceForward(backend: backend, prefix: prefix, inputWidth: data.train.imageSize)
        return FrozenFeaturesPlan(forward: forward, hostReason: nil, frozenBlocks: prefix.blocks.count)
    }

    /// Why the frozen blocks `prefix` cannot run forward on the device for a phase on `data`, or nil.
    /// The one place that decides it: the blocks themselves (`DeviceForward.problem(of:)`), batch
    /// augmentation (inputs differ every batch), caching turned off, and the cache budget the host
    /// path has (`FeatureSource.cacheBudgetBytes`), so both paths hold the same features.
    func frozenForwardProblem(prefix: Model, data: DatasetSplits) -> String? {
        if !data.augmentation.isIdentity { return "batch augmentation changes the inputs every batch" }
        guard let last = prefix.blocks.last else { return nil }
        if !cachesFrozenFeatures { return "feature caching is off" }
        let bytes = data.train.count * last.outputSize * MemoryLayout<Float>.size
        if bytes > FeatureSource.cacheBudgetBytes {
            return cFormat("the outputs (%.1f GB) exceed the feature cache budget (%.1f GB)", Double(bytes) / 1e9, Double(FeatureSource.cacheBudgetBytes) / 1e9)
        }
        return DeviceForward.problem(of: prefix)
    }
}
