import HebbText
import HebbData
import HebbModel
import HebbTensor

/// The `hebb train` entry point: resolve, plan, (resume,) train, save, summarise.
///
/// Persistence is crash-safe (README, Reliability): every file is written atomically; the network
/// checkpoint embeds its run record, so one rename commits both; every phase also saves at the end
/// of every epoch (weights, generator, Hebbian update counts and Adam's moments), so a killed run
/// redoes at most the epoch it was in.
public enum Experiment {
    /// Runs `request`; progress lines go to `log`.
    /// `progress` hears every finished mini-batch (a terminal progress bar).
    public static func train(
        _ request: TrainingRequest, log: (String) -> Void, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingSummary {
        try train(request, log: log, progress: progress, interrupt: { _ in false })
    }

    /// Thrown when `interrupt` asks to stop: tests use it to end a run right after a checkpoint,
    /// as a kill would.
    struct Interrupted: Error {}

    /// `train`, with `interrupt` called after every checkpoint written (with its record).
    static func train(
        _ request: TrainingRequest, log: (String) -> Void, progress: ((TrainingProgress) -> Void)? = nil,
        interrupt: (RunRecord) -> Bool
    ) throws -> TrainingSummary {
        let started = Date()
        let backend = try request.device.makeBackend(environment: request.environment)  // fails fast without CUDA
        let setup = try Setup(request)
        let (unsupervised, supervised, seed, shape) = (setup.unsupervised, setup.supervised, setup.seed, setup.shape)
        var resolved = setup.model
        let store = RunStore(dataRoot: request.dataRoot, modelName: request.runName)
        var initRNG = SeededGenerator(seed: UInt64(bitPattern: Int64(seed)))
        var model = ModelBuilder.build(resolved, using: &initRNG)
        var saved: RunRecord?
        var savedOptimizer: [String: Tensor] = [:]
        if let resume = request.resume {
            if let (record, tensors) = try store.loadNetwork() {
                for (name, tensor) in tensors where name.hasPrefix(RunStore.optimizerPrefix) {
                    savedOptimizer[String(name.dropFirst(RunStore.optimizerPrefix.count))] = tensor
                }
                try verify(record, belongsTo: resolved, dataset: supervised.key, resume: resume, path: store.modelFile.path)
                let last = resolved.blocks.count - 1
                if resume == .all {
                    if record.model != resolved { log("note: resuming with the saved configuration of '\(request.runName)'; the current preset's settings are ignored") }
                    resolved = record.model
                } else {
                    // Saved blocks, then the current classifier, re-resolved so its input width
                    // follows the saved blocks.
                    let blocks = record.model.blocks.dropLast().map(\.config) + [resolved.blocks[last].config]
                    resolved = try ModelBuilder.resolve(ModelConfig(name: resolved.name, blocks: blocks), data: shape)
                }
                model = ModelBuilder.build(resolved, using: &initRNG)
                let indices = Set(resolved.blocks.indices).subtracting(resume == .all ? [] : [last])
                let problems = model.load(tensors, blockIndices: indices)
                guard problems.isEmpty else {
                    throw CheckpointError.mismatch(path: store.modelFile.path, reason: "its tensors do not fit the model: \(problems[0]) (\(problems.count) problem(s))")
                }
                saved = record
                log("resumed \(resume.rawValue) from \(store.modelFile.path)")
            } else {
                log("no checkpoint at \(store.modelFile.path); starting fresh")
            }
        }
        var loadedIdentities: [Int: String] = [:]
        if let initial = request.initialWeights {
            guard saved == nil else {
                throw ConfigError.unsupported("--init-from together with a resumed checkpoint", hint: "drop --init-from, or --resume, or choose another --model-name")
            }
            loadedIdentities = try initial.load(into: &model, dataRoot: request.dataRoot)
            log("loaded blocks \(loadedIdentities.keys.sorted()) from \(initial.source)")
        }
        if let bad = request.frozenBlocks.first(where: { $0 < 0 || $0 >= resolved.blocks.count }) {
            throw ConfigError.badBlock(preset: request.preset, block: bad, reason: "--freeze-blocks names a block the model does not have (it has \(resolved.blocks.count))")
        }
        let trainingBlocks = request.frozenBlocks.isEmpty
            ? request.trainingBlocks : (request.trainingBlocks ?? Array(resolved.blocks.indices)).filter { !request.frozenBlocks.contains($0) }
        let phases = try Phase.plan(model: resolved, mode: request.mode, trainingBlocks: trainingBlocks, unsupervised: unsupervised, supervised: supervised)
        let lastBlock = resolved.blocks.count - 1
        let lineage = BlockLineage(
            model: resolved, phases: phases, seed: seed,
            validation: (request.validationUnsupervised, request.validationSupervised), loaded: loadedIdentities,
            dataSeeds: (unsupervised.seed, supervised.seed))
        var skipped = completedPrefix(of: phases, saved: saved, lastBlock: lastBlock, resume: request.resume)
        if saved == nil && request.reuseBlocks {
            skipped = store.reuseSavedBlocks(phases: phases, lineage: lineage, into: &model, log: log)
        }
        let resumePoint = resumableProgress(of: phases, saved: saved, skipped: skipped, seed: seed, lastBlock: lastBlock, resume: request.resume, log: log)
        let locator = DatasetLocator(explicitRoot: request.datasetsDirectory, environment: request.environment, dataRoot: request.dataRoot)
        let supervisedData = try DatasetSplits.load(config: supervised, locator: locator, validation: request.validationSupervised)
        if phases.contains(where: { $0.kind != .unsupervised }) { try supervisedData.requireLabels() }
        let unsupervisedData = phases.contains { $0.kind == .unsupervised }
            ? try DatasetSplits.load(config: unsupervised, locator: locator, validation: request.validationUnsupervised) : supervisedData
        var record = RunRecord(
            model: resolved, phases: phases, completedPhases: skipped, seed: seed, unsupervisedDataset: unsupervised.key,
            supervisedDataset: supervised.key,
            blockKeys: lineage.final)
        var metricsLines = 0
        if request.save {
            try store.prepare()
            // Lines after a resumed checkpoint belong to an epoch that is redone now.
            metricsLines = try MetricsFiles.restart(keeping: saved.map { $0.metricsLines ?? Int.max }, store: store)
        }
        var visuals = RunVisuals(
            store: store, model: resolved, pictures: request.save && request.pictures, tensorBoard: request.save && request.tensorboard,
            records: request.save && request.pictures ? (try? MetricPlots.read(store.metricsFile)) ?? [] : [])
        log(ModelDescription.describe(resolved))
        var trainer = Trainer(model: model, resolved: resolved)
        trainer.backend = backend
        for (index, phase) in phases.enumerated() {
            if index < skipped {
                log("Phase \(index): \(phase.kind.rawValue) blocks \(phase.blocks) already finished; skipped")
                continue
            }
            let data = phase.kind == .unsupervised ? unsupervisedData : supervisedData
            let resumed = index == skipped ? resumePoint : nil
            if let resumed {
                log("Phase \(index): \(phase.kind.rawValue) blocks \(phase.blocks) continue after epoch \(resumed.epochsCompleted) of \(phase.epochs)")
            }
            let steps = (data.trainIndices.count + phase.batchSize - 1) / max(1, phase.batchSize)
            // The whole trainer state is saved each epoch; without_classifier redoes phases that
            // train the last block from their start (resumableProgress).
            let epochCheckpoints = request.save
            let optimizer = resumed.map { _ in Adam(state: savedOptimizer) }
            try trainer.run(phase: phase, index: index, data: data, resumingFrom: resumed, optimizer: optimizer) { event in
                switch event {
                case .phaseStarted(let i, let p):
                    log("Phase \(i): \(p.kind.rawValue) learning of blocks \(p.blocks) on \(p.datasetKey) (\(p.epochs) epochs, batch \(p.batchSize))")
                case .batchEnded(let i, let epoch, let step, let steps):
                    progress?(TrainingProgress(phase: i, phases: phases.count, epoch: epoch, epochs: phase.epochs, step: step, steps: steps))
                case .epochEnded(let epoch):
                    log(EpochLine.format(epoch, elapsed: Date().timeIntervalSince(started)))
                    if epoch.kind == .unsupervised, let table = EpochLine.neuronTables(epoch) { log(table) }
                    guard request.save else { return }
                    try MetricsFiles.append(epoch, store: store)
                    metricsLines += 1
                    try visuals.epochEnded(epoch, step: metricsLines)
                case .epochCheckpoint(_, let state, let model, let optimizer):
                    try visuals.epochCheckpoint(network: model, phase: phase, epoch: state.epochsCompleted, step: metricsLines)
                    guard epochCheckpoints, state.epochsCompleted < phase.epochs else { return }
                    try requireFinite(model, epoch: state.epochsCompleted, step: steps)
                    (record.completedPhases, record.progress, record.metricsLines) = (index, state, metricsLines)
                    try store.saveNetwork(model, record: record, optimizer: optimizer.state)
                    if interrupt(record) { throw Interrupted() }
                case .phaseEnded: try visuals.phaseEnded()
                case .note(let line): log(line)
                }
            }
            (record.completedPhases, record.progress, record.metricsLines) = (index + 1, nil, metricsLines)
            if request.save {
                try requireFinite(trainer.model, epoch: max(1, phase.epochs), step: steps)
                // Block folders first: the network checkpoint is the commit point of the phase.
                for block in phase.blocks { try store.saveBlock(trainer.model, index: block, key: lineage.afterPhase[index][block], record: record) }
                try store.saveNetwork(trainer.model, record: record)
                if interrupt(record) { throw Interrupted() }
            }
        }
        let final = Evaluation.classify(model: trainer.model, images: supervisedData.evaluation, loss: resolved.loss)
        let summary = TrainingSummary(
            modelName: request.runName, preset: request.preset, mode: request.mode, seed: seed,
            unsupervisedDataset: unsupervised.key, supervisedDataset: supervised.key, testAccuracy: final.accuracy,
            testLoss: final.loss, validation: request.validationSupervised, phasesRun: phases.count - skipped, phasesSkipped: skipped,
            unsupervisedEpochs: phases.filter { $0.kind == .unsupervised }.map(\.epochs).reduce(0, +),
            seconds: Date().timeIntervalSince(started), unsupervisedSeed: unsupervised.seed, supervisedSeed: supervised.seed,
            overrides: request.overrides.map(\.text))
        if request.save { try AtomicFile.write(try RunStore.json(summary), to: store.summaryFile) }
        return summary
    }

    /// Refuses a checkpoint of another run: `--resume all` needs the same preset name (a changed
    /// preset file is fine: the saved configuration wins), and both modes need the same input shape
    /// (`all` also the same class count).
    static func verify(_ record: RunRecord, belongsTo current: ResolvedModel, dataset: String, resume: ResumeMode, path: String) throws {
        let (was, now) = (record.model.data, current.data)
        let describe = { (d: DataShape) in "\(d.channels)×\(d.height)×\(d.width) images, \(d.classCount) classes" }
        if [was.channels, was.height, was.width] != [now.channels, now.height, now.width] || (resume == .all && was.classCount != now.classCount) {
            throw CheckpointError.mismatch(path: path, reason: "it was trained on \(describe(was)) but \(dataset) has \(describe(now))")
        }
        if resume == .all && record.model.name != current.name {
            throw CheckpointError.mismatch(path: path, reason: "it was trained with preset '\(record.model.name)', not '\(current.name)'")
        }
    }

    /// Stops a run whose weights went non-finite before they reach a checkpoint, so the last good
    /// one is kept.
    static func requireFinite(_ model: Model, epoch: Int, step: Int) throws {
        guard let name = model.firstNonFiniteTensor() else { return }
        throw TrainingError.nonFinite(what: "tensor '\(name)'", block: Model.blockIndex(of: name) ?? 0, epoch: epoch, step: step)
    }

    /// The saved state of the phase a resumed run stopped in, when it can continue mid-phase: same
    /// phase, seed and datasets, and a generator state this build can restore.
    static func resumableProgress(
        of phases: [Phase], saved: RunRecord?, skipped: Int, seed: Int, lastBlock: Int, resume: ResumeMode?,
        log: (String) -> Void
    ) -> PhaseProgress? {
        guard let saved, let progress = saved.progress else { return nil }
        let usable = progress.phase == skipped && skipped == saved.completedPhases && skipped < phases.count
            && skipped < saved.phases.count && phases[skipped] == saved.phases[skipped] && saved.seed == seed
            && (resume == .all || !phases[skipped].blocks.contains(lastBlock))  // without_classifier redoes those
            && (1..<phases[skipped].epochs).contains(progress.epochsCompleted)
            && progress.hebbianUpdates.count == lastBlock + 1 && progress.generator != nil
        if !usable {
            log("note: the checkpoint stopped in phase \(progress.phase) after epoch \(progress.epochsCompleted), but that phase does not match this run (seed, datasets or plan); it restarts from the saved weights")
        }
        return usable ? progress : nil
    }

    /// Leading phases a resumed run had already finished with the same plan. Without the
    /// classifier, phases that trained the last block are redone.
    static func completedPrefix(of phases: [Phase], saved: RunRecord?, lastBlock: Int, resume: ResumeMode?) -> Int {
        guard let saved else { return 0 }
        var count = 0
        while count < min(phases.count, saved.completedPhases, saved.phases.count), phases[count] == saved.phases[count],
            resume == .all || !phases[count].blocks.contains(lastBlock)
        {
            count += 1
        }
        return count
    }

    /// What every procedure derives from a request first: its datasets (with `--seed` applied to
    /// both, `--seed-unsup` to the unsupervised one), the weight-init seed, the supervised
    /// dataset's shape and the resolved model (with the `--set` overrides).
    struct Setup {
        var unsupervised: DatasetConfig, supervised: DatasetConfig
        var seed: Int
        var shape: DataShape
        var model: ResolvedModel

        init(_ request: TrainingRequest) throws {
            let library = try PresetLibrary.load(path: request.presetsFile)
            unsupervised = try DatasetCatalog.resolve(key: request.unsupervisedDataset)
            supervised = try DatasetCatalog.resolve(key: request.supervisedDataset)
            if let seed = request.seed { (unsupervised.seed, supervised.seed) = (seed, seed) }
            if let seed = request.unsupervisedSeed { unsupervised.seed = seed }
            seed = request.unsupervisedSeed ?? request.seed ?? supervised.seed
            shape = DataShape(channels: supervised.channels, height: supervised.height, width: supervised.width, classCount: supervised.classCount)
            let config = try LayerOverride.apply(request.overrides, to: library.resolve(request.preset))
            model = try ModelBuilder.resolve(config, data: shape)
        }
    }
}
