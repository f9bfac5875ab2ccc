import HebbText
import HebbData
import HebbModel
import HebbTensor

/// SoftHebb's `post_hoc_loss.py` procedure (spec §5.5), working (the original crashes, quirk 33).
///
/// For a model of Hebbian blocks followed by one BP classifier:
/// 1. t0: train the Hebbian blocks on the unsupervised data, logging the (still random)
///    classifier's cross-entropy per batch;
/// 2. t1: train the classifier with Adam on the supervised data;
/// 3. put the Hebbian blocks back to their initial weights and learning rates;
/// 4. t2: retrain them on the supervised data with the unsupervised epochs and batch size, logging
///    the fixed trained classifier's cross-entropy per batch: the "post-hoc loss" to set beside
///    end-to-end backprop loss curves.
public enum PostHocLoss {
    /// Per-batch losses of the two Hebbian passes and the classifier's test accuracy.
    public struct Result: Sendable {
        /// Mean cross-entropy per mini-batch of t0 (random classifier), in order.
        public var beforeClassifier: [Float]
        /// Mean cross-entropy per mini-batch of t2 (trained, fixed classifier): the post-hoc loss.
        public var postHoc: [Float]
        /// Test accuracy (percent) after t1 and after t2.
        public var accuracyAfterClassifier: Float, accuracyAfterRetraining: Float
    }

    /// Runs the procedure for `request` (its preset, datasets, seed, data root, model name).
    public static func run(_ request: TrainingRequest, log: (String) -> Void) throws -> Result {
        let setup = try Experiment.Setup(request)
        let (unsupervised, supervised, resolved) = (setup.unsupervised, setup.supervised, setup.model)
        let last = resolved.blocks.count - 1
        let hebbian = Array(0..<last)
        guard last >= 1, resolved.blocks[last].config.layer.kind == .backprop,
            hebbian.allSatisfy({ resolved.blocks[$0].config.layer.kind.isHebbian && !resolved.blocks[$0].config.layer.learnsFromLabels })
        else {
            throw ConfigError.unsupported("post-hoc loss for '\(request.preset)'", hint: "it needs Hebbian blocks followed by one BP classifier, e.g. 2SoftMlpMNIST")
        }
        let locator = DatasetLocator(explicitRoot: request.datasetsDirectory, environment: request.environment, dataRoot: request.dataRoot)
        let unsupervisedData = try DatasetSplits.load(config: unsupervised, locator: locator, validation: false)
        let supervisedData = try DatasetSplits.load(config: supervised, locator: locator, validation: false)
        try supervisedData.requireLabels()
        try unsupervisedData.requireLabels()
        var rng = SeededGenerator(seed: UInt64(bitPattern: Int64(setup.seed)))
        let initial = ModelBuilder.build(resolved, using: &rng)
        let hebbianPass = { (data: DatasetConfig) in
            Phase(kind: .supervised, blocks: hebbian, datasetKey: data.key, epochs: unsupervised.epochs, batchSize: unsupervised.batchSize, learningRate: nil)
        }
        let classifier = Phase(kind: .supervised, blocks: [last], datasetKey: supervised.key, epochs: supervised.epochs, batchSize: supervised.batchSize, learningRate: resolved.blocks[last].config.layer.supervisedLearningRate)
        var trainer = Trainer(model: initial, resolved: resolved)
        trainer.recordsBatchLosses = true
        var records: [EpochRecord] = []
        let emit = { (event: TrainingEvent) in
            switch event {
            case .phaseStarted(let i, let p): log("Phase t\(i): blocks \(p.blocks) on \(p.datasetKey) (\(p.epochs) epochs, batch \(p.batchSize))")
            case .epochEnded(let record):
                records.append(record)
                log(EpochLine.format(record, elapsed: record.seconds))
            default: break
            }
        }
        try trainer.run(phase: hebbianPass(unsupervised), index: 0, data: unsupervisedData, emit: emit)
        try trainer.run(phase: classifier, index: 1, data: supervisedData, emit: emit)
        let afterClassifier = Evaluation.classify(model: trainer.model, images: supervisedData.evaluation).accuracy
        var restored = trainer.model
        for i in hebbian { restored.blocks[i] = initial.blocks[i] }
        trainer = Trainer(model: restored, resolved: resolved)  // fresh Hebbian update counts (lr reset)
        trainer.recordsBatchLosses = true
        try trainer.run(phase: hebbianPass(supervised), index: 2, data: supervisedData, emit: emit)
        let afterRetraining = Evaluation.classify(model: trainer.model, images: supervisedData.evaluation).accuracy
        let losses = { (phase: Int) in records.filter { $0.phase == phase }.flatMap { $0.batchLosses ?? [] } }
        let result = Result(beforeClassifier: losses(0), postHoc: losses(2), accuracyAfterClassifier: afterClassifier, accuracyAfterRetraining: afterRetraining)
        if request.save {
            let store = RunStore(dataRoot: request.dataRoot, modelName: request.runName)
            var csv = "phase,epoch,step,loss\n"
            for record in records where record.phase != 1 {
                for (step, loss) in (record.batchLosses ?? []).enumerated() { csv += "t\(record.phase),\(record.epoch),\(step + 1),\(loss)\n" }
            }
            try AtomicFile.write(Data(csv.utf8), to: store.networkFolder.appendingPathComponent("post_hoc_loss.csv"))
        }
        return result
    }
}
