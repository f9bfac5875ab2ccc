import HebbText
import HebbModel
import HebbTensor

// Shapes: S training samples, T test samples, F features, K classes.

/// A supervised phase of the linear classifier on seeded features, run twice: by the host code
/// (`Block.forward` with dropout, `CrossEntropy`, `Block.backward`, `Trainer.adamStep`, the halving
/// schedule and `Evaluation.classify`, as `Trainer` does) and by `DeviceClassifierEpoch` on a
/// backend, from the same weights, orders and dropout draws. `hebb cuda-check` runs it with CUDA;
/// the tests with `CPUBackend`.
extension DeviceParity {
    /// A seeded classifier problem.
    public struct ClassifierProblem: Sendable {
        public var name: String
        public var samples: Int, testSamples: Int, features: Int, classes: Int
        public var dropout: Float, batchSize: Int, epochs: Int, learningRate: Float
        /// Mask chunk size in batches (small, so the chunking is exercised).
        public var maskChunkBatches: Int = 4
        public var seed: UInt64 = 1

        /// Dropout 0.5, Adam 1e-3, batch 64, 2 epochs, 10 classes (SoftHebb's classifier, quirk 7).
        public static func softHebb(samples: Int = 2000, features: Int = 1024, epochs: Int = 2, batchSize: Int = 64) -> ClassifierProblem {
            ClassifierProblem(
                name: "classifier dropout 0.5 + Adam", samples: samples, testSamples: max(1, samples / 4), features: features,
                classes: 10, dropout: 0.5, batchSize: batchSize, epochs: epochs, learningRate: 1e-3)
        }
    }

    /// One epoch's logged numbers.
    public struct ClassifierEpochLog: Sendable, Equatable {
        public var trainLoss: Float, trainAccuracy: Float, testLoss: Float, testAccuracy: Float
    }

    /// What one classifier comparison found.
    public struct ClassifierResult: Sendable {
        /// max |θ_device − θ_host| / max |θ_host| over W and b after the phase.
        public var relativeError: Float
        /// Each epoch's numbers on the host and on the backend.
        public var hostLog: [ClassifierEpochLog], deviceLog: [ClassifierEpochLog]
        public var hostSeconds: Double, deviceSeconds: Double

        /// Largest difference between the two logs' losses (absolute) and accuracies (points).
        public var largestLogDifference: Float {
            zip(hostLog, deviceLog).map { h, d in
                max(abs(h.trainLoss - d.trainLoss), abs(h.testLoss - d.testLoss), abs(h.trainAccuracy - d.trainAccuracy), abs(h.testAccuracy - d.testAccuracy))
            }.max() ?? 0
        }
    }

    /// Runs `problem` on the host and on `backend`.
    public static func compare(_ problem: ClassifierProblem, backend: any Backend) throws -> ClassifierResult {
        var rng = SeededGenerator(seed: problem.seed)
        let (train, trainLabels) = classifierSet(problem, count: problem.samples, using: &rng)
        let (test, testLabels) = classifierSet(problem, count: problem.testSamples, using: &rng)
        let initial = Linear(inputFeatures: problem.features, outputFeatures: problem.classes, using: &rng)
        let dropout = Dropout(probability: problem.dropout)
        let halving = HalvingSchedule(epochs: problem.epochs)
        let training = rng

        var started = Date()
        rng = training
        var block = Block(inputNorm: nil, dropout: dropout, layer: .linear(initial), activation: .identity, outputNorm: nil)
        var adam = Adam()
        var hostLog: [ClassifierEpochLog] = []
        for epoch in 1...problem.epochs {
            let order = rng.permutation(problem.samples)
            var (lossSum, correct) = (0.0, 0)
            for start in stride(from: 0, to: order.count, by: problem.batchSize) {
                let rows = order[start..<min(start + problem.batchSize, order.count)]
                let x = Tensor(shape: [rows.count, problem.features], scalars: rows.flatMap { train.scalars[($0 * problem.features)..<(($0 + 1) * problem.features)] })
                let trace = block.forward(x, training: true, using: &rng)
                let result = CrossEntropy.evaluate(logits: trace.output, labels: rows.map { trainLabels[$0] })
                lossSum += Double(result.loss) * Double(rows.count)
                correct += result.correct
                guard let parameters = block.backward(result.gradient, trace: trace).parameters else { continue }
                Trainer.adamStep(&block, index: 0, parameters: parameters, adam: &adam, rate: halving.rate(base: problem.learningRate, epoch: epoch))
            }
            let evaluation = Evaluation.classify(suffix: Model(blocks: [block]), features: test, labels: testLabels)
            hostLog.append(ClassifierEpochLog(
                trainLoss: Float(lossSum / Double(problem.samples)), trainAccuracy: 100 * Float(correct) / Float(problem.samples),
                testLoss: evaluation.loss, testAccuracy: evaluation.accuracy))
        }
        let hostSeconds = Date().timeIntervalSince(started)

        started = Date()
        rng = training
        let device = try DeviceClassifierEpoch(
            backend: backend, block: 0, layer: initial, dropout: dropout, features: train, labels: trainLabels,
            evaluation: (test, testLabels), batchSize: problem.batchSize,
            evaluationChunk: FeatureSource.chunkSize(for: Model(blocks: [block])), adam: Adam(),
            maskChunkWords: problem.maskChunkBatches * ((problem.batchSize * problem.features + 31) / 32))
        var deviceLog: [ClassifierEpochLog] = []
        for epoch in 1...problem.epochs {
            let order = rng.permutation(problem.samples)
            let sums = try device.epoch(order: order, learningRate: halving.rate(base: problem.learningRate, epoch: epoch), recordsBatchLosses: false, using: &rng)
            let evaluation = try device.evaluate() ?? (accuracy: .nan, loss: .nan)
            deviceLog.append(ClassifierEpochLog(
                trainLoss: Float(sums.lossSum / Double(sums.seen)), trainAccuracy: 100 * Float(sums.correct) / Float(sums.seen),
                testLoss: evaluation.loss, testAccuracy: evaluation.accuracy))
        }
        let trained = try device.downloadLayer()
        let deviceSeconds = Date().timeIntervalSince(started)

        guard case .linear(let host) = block.layer else { preconditionFailure("the host block is linear") }
        let hostParameters = host.weight.scalars + host.bias.scalars
        let deviceParameters = trained.weight.scalars + trained.bias.scalars
        let difference = zip(hostParameters, deviceParameters).map { abs($0 - $1) }.max() ?? 0
        let scale = hostParameters.map(abs).max() ?? 0
        return ClassifierResult(
            relativeError: difference / max(scale, .leastNormalMagnitude), hostLog: hostLog, deviceLog: deviceLog,
            hostSeconds: hostSeconds, deviceSeconds: deviceSeconds)
    }

    /// `count` seeded samples: uniform features plus 1 on a column chosen by the class, so the
    /// classifier has something to learn.
    private static func classifierSet(_ problem: ClassifierProblem, count: Int, using rng: inout SeededGenerator) -> (Tensor, [Int32]) {
        let labels = (0..<count).map { _ in Int32(rng.nextIndex(below: problem.classes)) }
        var scalars = (0..<(count * problem.features)).map { _ in rng.nextUniform() }
        for (row, label) in labels.enumerated() { scalars[row * problem.features + Int(label) % problem.features] += 1 }
        return (Tensor(shape: [count, problem.features], scalars: scalars), labels)
    }
}
