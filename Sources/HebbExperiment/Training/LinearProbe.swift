import HebbData
import HebbModel
import HebbTensor
import HebbText

/// pytorch-hebbian's `HebbianEvaluator` as used by its examples: a linear probe of frozen
/// features. Every block but the last is frozen, the last (a BP classifier) is re-initialised,
/// and trained with Adam; the learning rate halves when the evaluation accuracy has not improved
/// for `plateauPatience` epochs (ReduceLROnPlateau, mode max), training stops after
/// `stoppingPatience` epochs without an improvement of `minimumDelta` (EarlyStopping), and the
/// best epoch's score and head are kept.
public enum LinearProbe {
    /// Probe hyper-parameters (defaults: pytorch-hebbian's examples/hebbian.py).
    public struct Settings: Codable, Sendable, Equatable {
        /// Maximum epochs.
        public var epochs = 500
        /// Initial Adam learning rate.
        public var learningRate: Float = 1e-3
        /// Mini-batch size (nil: the dataset key's).
        public var batchSize: Int?
        /// Early stopping: epochs without an accuracy gain of at least `minimumDelta` (percentage points).
        public var stoppingPatience = 15
        /// Smallest gain that counts as an improvement, in accuracy percentage points (1e-4 as a fraction there).
        public var minimumDelta: Float = 0.01
        /// Epochs without improvement before the rate is multiplied by `plateauFactor`.
        public var plateauPatience = 5
        /// Rate factor on a plateau.
        public var plateauFactor: Float = 0.5
        /// Seeds the fresh head, the data order and dropout.
        public var seed = 0

        /// The defaults.
        public init() {}
    }

    /// One probe epoch.
    public struct Epoch: Codable, Sendable, Equatable {
        /// 1-based epoch, the rate it used, mean training loss and accuracy, evaluation loss and accuracy.
        public var epoch: Int, learningRate: Float, trainLoss: Float, trainAccuracy: Float, testLoss: Float, testAccuracy: Float
    }

    /// What a probe found.
    public struct Result: Codable, Sendable, Equatable {
        /// Best evaluation accuracy (percent) and the epoch it came from.
        public var bestAccuracy: Float, bestEpoch: Int
        /// Epochs run before stopping, and whether early stopping ended them.
        public var epochsRun: Int, stoppedEarly: Bool
        /// Whether the evaluation set was the validation split.
        public var validation: Bool
        /// Every epoch.
        public var history: [Epoch]
        /// The settings used.
        public var settings: Settings
    }

    /// Probes `model` (its last block is replaced by a fresh one from `resolved`) on `data`;
    /// returns the result and the model with the best head.
    public static func run(
        model: Model, resolved: ResolvedModel, data: DatasetSplits, settings: Settings, log: (String) -> Void
    ) throws -> (result: Result, model: Model) {
        let last = model.blocks.count - 1
        guard last >= 0, model.blocks[last].hebbianLayer == nil else {
            throw ConfigError.unsupported("a linear probe of a model whose last block is Hebbian", hint: "the probe retrains a backprop (BP) classifier as the last block")
        }
        var freshRNG = SeededGenerator(seed: UInt64(bitPattern: Int64(settings.seed)))
        var head = ModelBuilder.build(resolved, using: &freshRNG).blocks[last]
        let prefix = Model(blocks: Array(model.blocks[..<last]))
        var source = FeatureSource(images: data.train, prefix: prefix, augmentation: data.augmentation)
        let evaluation = FeatureSource(images: data.evaluation, prefix: prefix, augmentation: .none)
        let batch = settings.batchSize ?? data.config.batchSize
        var rng = SeededGenerator(seed: UInt64(bitPattern: Int64(settings.seed)) &+ 1)
        var (adam, rate) = (Adam(), settings.learningRate)
        var (best, bestEpoch, bestHead) = (-Float.infinity, 0, head)
        var (sinceImprovement, sincePlateauBest, plateauBest) = (0, 0, -Float.infinity)
        var stoppingBest = -Float.infinity  // best accuracy before this epoch (EarlyStopping)
        var history: [Epoch] = []
        var labels: [Int32] = []
        for epoch in 1...max(1, settings.epochs) {
            var (lossSum, correct, seen) = (0.0, 0, 0)
            let order = data.epochOrder(using: &rng)
            for start in stride(from: 0, to: order.count, by: batch) {
                let rows = order[start..<min(start + batch, order.count)]
                let x = source.batch(rows, using: &rng)
                data.train.fillLabels(indices: rows, into: &labels)
                let trace = head.forward(x, training: true, using: &rng)
                let result = CrossEntropy.evaluate(logits: trace.output, labels: labels)
                guard result.loss.isFinite else {
                    throw TrainingError.nonFinite(what: "the probe loss", block: last, epoch: epoch, step: start / batch + 1)
                }
                (lossSum, correct, seen) = (lossSum + Double(result.loss) * Double(rows.count), correct + result.correct, seen + rows.count)
                if let parameters = head.backward(result.gradient, trace: trace).parameters {
                    Trainer.adamStep(&head, index: last, parameters: parameters, adam: &adam, rate: rate)
                }
            }
            let test = evaluation.cached.map { Evaluation.classify(suffix: Model(blocks: [head]), features: $0, labels: data.evaluation.labels) }
                ?? Evaluation.classify(model: Model(blocks: prefix.blocks + [head]), images: data.evaluation)
            let record = Epoch(
                epoch: epoch, learningRate: rate, trainLoss: Float(lossSum / Double(max(1, seen))),
                trainAccuracy: 100 * Float(correct) / Float(max(1, seen)), testLoss: test.loss, testAccuracy: test.accuracy)
            history.append(record)
            log(cFormat("probe epoch %d  lr %.2e  Loss_train %.5f  Acc_train %.2f  /  Loss_test %.5f  Acc_test %.2f",
                       epoch, Double(rate), Double(record.trainLoss), Double(record.trainAccuracy), Double(test.loss), Double(test.accuracy)))
            if test.accuracy > best { (best, bestEpoch, bestHead) = (test.accuracy, epoch, head) }
            // ReduceLROnPlateau (mode max, relative threshold 1e-4 as torch's default).
            if test.accuracy > plateauBest * (1 + 1e-4) { (plateauBest, sincePlateauBest) = (test.accuracy, 0) } else { sincePlateauBest += 1 }
            if sincePlateauBest > settings.plateauPatience { (rate, sincePlateauBest) = (rate * settings.plateauFactor, 0) }
            // EarlyStopping on accuracy with an absolute minimum gain.
            sinceImprovement = epoch == 1 || test.accuracy >= stoppingBest + settings.minimumDelta ? 0 : sinceImprovement + 1
            stoppingBest = max(stoppingBest, test.accuracy)
            if sinceImprovement >= settings.stoppingPatience {
                log("probe: no gain of \(settings.minimumDelta) points for \(settings.stoppingPatience) epochs; stopped")
                return (Result(bestAccuracy: best, bestEpoch: bestEpoch, epochsRun: epoch, stoppedEarly: true, validation: data.evaluationIsValidation,
                               history: history, settings: settings), Model(blocks: prefix.blocks + [bestHead]))
            }
        }
        return (Result(bestAccuracy: best, bestEpoch: bestEpoch, epochsRun: history.count, stoppedEarly: false, validation: data.evaluationIsValidation,
                       history: history, settings: settings), Model(blocks: prefix.blocks + [bestHead]))
    }
}
