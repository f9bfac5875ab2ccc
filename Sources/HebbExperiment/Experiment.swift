import Foundation
import HebbData
import HebbModel
import HebbTensor

/// The `hebb train` entry point: resolve, plan, (resume,) train, save, summarise.
public enum Experiment {
    /// Runs `request`; progress lines go to `log`.
    public static func train(_ request: TrainingRequest, log: (String) -> Void) throws -> TrainingSummary {
        let started = Date()
        let library = try PresetLibrary.load(path: request.presetsFile)
        var unsupervised = try DatasetCatalog.resolve(key: request.unsupervisedDataset)
        var supervised = try DatasetCatalog.resolve(key: request.supervisedDataset)
        if let seed = request.seed { (unsupervised.seed, supervised.seed) = (seed, seed) }
        let seed = request.seed ?? supervised.seed
        let shape = DataShape(channels: supervised.channels, height: supervised.height, width: supervised.width, classCount: supervised.classCount)
        var resolved = try ModelBuilder.resolve(library.resolve(request.preset), data: shape)
        let store = RunStore(dataRoot: request.dataRoot, modelName: request.runName)
        var initRNG = SeededGenerator(seed: UInt64(bitPattern: Int64(seed)))
        var model = ModelBuilder.build(resolved, using: &initRNG)
        var saved: RunRecord?
        if let resume = request.resume {
            if let (record, tensors) = try store.loadNetwork() {
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
                    throw CheckpointError.invalidEntry(path: store.modelFile.path, tensor: problems[0], reason: "the checkpoint does not fit the model (\(problems.count) problem(s)); use another --model-name or drop --resume")
                }
                saved = record
                log("resumed \(resume.rawValue) from \(store.modelFile.path)")
            } else {
                log("no checkpoint at \(store.modelFile.path); starting fresh")
            }
        }
        let phases = try Phase.plan(model: resolved, mode: request.mode, trainingBlocks: request.trainingBlocks, unsupervised: unsupervised, supervised: supervised)
        let skipped = completedPrefix(of: phases, saved: saved, lastBlock: resolved.blocks.count - 1, resume: request.resume)
        let locator = DatasetLocator(explicitRoot: request.datasetsDirectory, environment: request.environment, dataRoot: request.dataRoot)
        let supervisedData = try DatasetSplits.load(config: supervised, locator: locator, validation: request.validation)
        if phases.contains(where: { $0.kind != .unsupervised }) { try supervisedData.requireLabels() }
        let unsupervisedData = phases.contains { $0.kind == .unsupervised }
            ? try DatasetSplits.load(config: unsupervised, locator: locator, validation: request.validation) : supervisedData
        var record = RunRecord(
            model: resolved, phases: phases, completedPhases: skipped, seed: seed, unsupervisedDataset: unsupervised.key,
            supervisedDataset: supervised.key,
            blockKeys: RunStore.blockKeys(model: resolved, seed: seed, unsupervisedDataset: unsupervised.key, supervisedDataset: supervised.key))
        if request.save && saved == nil { try? FileManager.default.removeItem(at: store.metricsFile) }
        log(ModelDescription.describe(resolved))
        var trainer = Trainer(model: model, resolved: resolved)
        for (index, phase) in phases.enumerated() {
            if index < skipped {
                log("Phase \(index): \(phase.kind.rawValue) blocks \(phase.blocks) already finished; skipped")
                continue
            }
            var writeError: Error?
            try trainer.run(phase: phase, index: index, data: phase.kind == .unsupervised ? unsupervisedData : supervisedData) { event in
                switch event {
                case .phaseStarted(let i, let p):
                    log("Phase \(i): \(p.kind.rawValue) learning of blocks \(p.blocks) on \(p.datasetKey) (\(p.epochs) epochs, batch \(p.batchSize))")
                case .epochEnded(let epoch):
                    log(EpochLine.format(epoch, elapsed: Date().timeIntervalSince(started)))
                    guard request.save, writeError == nil else { return }
                    do {
                        let line = String(decoding: try JSONEncoder().encode(epoch), as: UTF8.self)
                        try AtomicFile.appendLine(line, to: store.metricsFile)
                    } catch { writeError = error }
                case .phaseEnded: break
                }
            }
            if let writeError { throw writeError }
            record.completedPhases = index + 1
            if request.save {
                try store.saveNetwork(trainer.model, record: record)
                for block in phase.blocks { try store.saveBlock(trainer.model, index: block, record: record) }
            }
        }
        let final = Evaluation.classify(model: trainer.model, images: supervisedData.evaluation)
        let summary = TrainingSummary(
            modelName: request.runName, preset: request.preset, mode: request.mode, seed: seed,
            unsupervisedDataset: unsupervised.key, supervisedDataset: supervised.key, testAccuracy: final.accuracy,
            testLoss: final.loss, validation: request.validation, phasesRun: phases.count - skipped, phasesSkipped: skipped,
            unsupervisedEpochs: phases.filter { $0.kind == .unsupervised }.map(\.epochs).reduce(0, +),
            seconds: Date().timeIntervalSince(started))
        if request.save { try AtomicFile.write(try RunStore.json(summary), to: store.summaryFile) }
        return summary
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
}
