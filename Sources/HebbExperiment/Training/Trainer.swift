import HebbText
import HebbData
import HebbModel
import HebbRules
import HebbTensor

// Shapes: B batch rows, F features entering a block, O units of a block.

/// Runs training phases on a model and emits events; it does not log or save.
public struct Trainer {
    /// The model being trained.
    public var model: Model
    /// Its resolved configuration.
    public let resolved: ResolvedModel
    /// Hebbian updates applied so far per block (drives linear decay).
    var updateCounts: [Int]
    /// Radii of each Hebbian block after its latest update (computed in the update pass).
    var radiiCache: [Int: [Float]] = [:]
    /// Reused (O, N) buffers for each Hebbian block's weight change.
    private var deltaBuffers: [Int: Tensor] = [:]

    /// Where unsupervised phases of one fully connected Hebbian block run (`--device cuda`); nil
    /// runs everything on the host with the code of `HebbianStep` (see `Trainer+Device.swift`).
    public var backend: (any Backend)?

    /// Whether print epochs run the evaluation pass (benchmarks turn it off).
    public var evaluatesOnPrintEpochs = true
    /// Whether epoch records carry every mini-batch's loss (the post-hoc loss procedure).
    public var recordsBatchLosses = false
    /// Whether frozen blocks' outputs are computed once per phase (tests compare both paths).
    var cachesFrozenFeatures = true

    /// Wraps a built model.
    public init(model: Model, resolved: ResolvedModel) {
        self.model = model
        self.resolved = resolved
        updateCounts = [Int](repeating: 0, count: model.blocks.count)
    }

    /// The learning-rate schedule of Hebbian block `index` in a phase with `trainCount` samples.
    func schedule(block index: Int, phase: Phase, trainCount: Int) -> LearningRateSchedule {
        let layer = resolved.blocks[index].config.layer
        let base = layer.learningRate
        switch layer.effectiveRateMode {
        case .radiusAdaptive: return .radiusAdaptive(base: base, power: layer.powerLearningRate)
        case .linearDecay: return .linearDecay(base: base, ratio: Double(phase.batchSize) / Double(trainCount), epochs: phase.epochs)
        case .epochLinearDecay:
            let perEpoch = (trainCount + phase.batchSize - 1) / max(1, phase.batchSize)
            return .epochLinearDecay(base: base, updatesPerEpoch: perEpoch, epochs: phase.epochs)
        case .exponentialDecay:
            return .exponentialDecay(
                base: base, timeConstant: layer.timeConstant ?? ModelBuilder.defaultTimeConstant,
                minimum: layer.minimumLearningRate ?? 0)
        case .constant: return .constant(base)
        }
    }

    /// Runs phase `index` on `data`, or its remaining epochs after `progress` (an end-of-epoch
    /// checkpoint of it); an error thrown by `emit` stops the run.
    public mutating func run(
        phase: Phase, index: Int, data: DatasetSplits, resumingFrom progress: PhaseProgress? = nil,
        optimizer resumedOptimizer: Adam? = nil, emit: (TrainingEvent) throws -> Void
    ) throws {
        try emit(.phaseStarted(index: index, phase: phase))
        let first = phase.blocks.min() ?? 0
        let last = phase.kind == .unsupervised ? (phase.blocks.max() ?? 0) : model.blocks.count - 1
        let prefix = Model(blocks: Array(model.blocks[..<first]))
        let trained = Set(phase.blocks)
        // Rules are made per batch (teacher targets, SOM shrinking). Layers that learn from labels
        // train in supervised phases, their decay spanning that phase (quirk 32 fixed).
        let schedules = phase.blocks.filter { resolved.blocks[$0].config.layer.kind.isHebbian }.reduce(into: [Int: LearningRateSchedule]()) {
            $0[$1] = schedule(block: $1, phase: phase, trainCount: data.trainIndices.count)
        }
        let deviceRules = Dictionary(uniqueKeysWithValues: phase.blocks.compactMap { i in
            ModelBuilder.rule(for: resolved.blocks[i].config.layer).map { (i, $0) }
        })
        // A device phase whose frozen blocks run forward on the device needs no host cache.
        let frozen = try frozenFeaturesPlan(phase: phase, data: data, prefix: prefix, rules: deviceRules, schedules: schedules)
        var source = FeatureSource(
            images: data.train, prefix: prefix, augmentation: data.augmentation, caching: cachesFrozenFeatures && frozen?.forward == nil)
        let trainsByBackprop = phase.blocks.contains { !resolved.blocks[$0].config.layer.kind.isHebbian }
        var adam = resumedOptimizer ?? Adam()
        let halving = HalvingSchedule(epochs: phase.epochs)
        var rng = progress?.generator ?? SeededGenerator(seed: UInt64(bitPattern: Int64(data.config.seed)))
        if let counts = progress?.hebbianUpdates, counts.count == updateCounts.count { updateCounts = counts }
        var labels: [Int32] = []
        var evaluationSource: FeatureSource?  // frozen blocks' outputs on the evaluation images
        let classifier = try deviceClassifier(phase: phase, index: index, data: data, source: source, frozen: frozen, adam: adam, emit: emit)
        let device = classifier != nil
            ? nil
            : try deviceEpoch(phase: phase, index: index, data: data, source: source, frozen: frozen, rules: deviceRules, schedules: schedules, emit: emit)
        for epoch in (progress.map { $0.epochsCompleted + 1 } ?? 1)...max(1, phase.epochs) {
            let started = Date()
            let rate = halving.rate(base: phase.learningRate ?? 0, epoch: epoch)
            var (lossSum, correct, seen) = (0.0, 0, 0)
            var batchLosses: [Float] = []
            let order = data.epochOrder(using: &rng)
            var step = 0
            var tallies: [Int: WinTally] = [:]  // this epoch's signal per Hebbian block (quirk 18 fixed)
            let steps = (order.count + phase.batchSize - 1) / max(1, phase.batchSize)
            if let device {
                tallies = try runDeviceEpoch(device, order: order, epoch: epoch, steps: steps, index: index, emit: emit)
            }
            if let classifier {
                let sums = try runDeviceClassifierEpoch(classifier, order: order, rate: rate, epoch: epoch, steps: steps, index: index, rng: &rng, adam: &adam, emit: emit)
                (lossSum, correct, seen, batchLosses) = (sums.lossSum, sums.correct, sums.seen, sums.batchLosses)
            }
            // The host loop; a device epoch has already done this epoch's batches.
            for start in stride(from: 0, to: device == nil && classifier == nil ? order.count : 0, by: phase.batchSize) {
                step += 1
                let rows = order[start..<min(start + phase.batchSize, order.count)]
                var h = source.batch(rows, using: &rng)
                if phase.kind != .unsupervised { data.train.fillLabels(indices: rows, into: &labels) }
                var traces: [Block.Trace] = []
                var maxima: [Int: Float] = [:]
                var unitNormalised: [Int: Bool] = [:]
                for i in first...last {
                    let currentsOnly = phase.kind == .unsupervised && i == last && model.blocks[i].outputNorm == nil  // an output norm keeps its running statistics moving, as in SoftHebb
                    let trace = model.blocks[i].forward(h, training: trained.contains(i), currentsOnly: currentsOnly, positionRowsOnly: currentsOnly, using: &rng)
                    if schedules[i] != nil, let layer = model.blocks[i].hebbianLayer, let rule = ModelBuilder.rule(
                        for: resolved.blocks[i].config.layer,
                        batch: RuleBatch(
                            labels: phase.kind == .unsupervised ? nil : labels, positions: layer.positions,
                            updateIndex: updateCounts[i], classCount: data.config.classCount))
                    {
                        var buffer = deltaBuffers[i] ?? Tensor.zeros(layer.weight.shape)
                        deltaBuffers[i] = nil  // keep the buffer uniquely referenced while writing
                        var tally = tallies[i] ?? WinTally(units: layer.outputChannels)
                        let maximum = HebbianStep.computeDelta(rule: rule, trace: trace, layer: layer, into: &buffer, tally: &tally)
                        (deltaBuffers[i], tallies[i]) = (buffer, tally)
                        guard maximum.isFinite else {
                            throw TrainingError.nonFinite(what: "the Hebbian update", block: i, epoch: epoch, step: step)
                        }
                        maxima[i] = maximum
                        unitNormalised[i] = rule.normalisesUnits
                    }
                    traces.append(trace)
                    h = trace.output
                }
                if phase.kind != .unsupervised {
                    let result = resolved.loss.evaluate(outputs: h, labels: labels)
                    guard result.loss.isFinite else {
                        throw TrainingError.nonFinite(what: "the loss", block: last, epoch: epoch, step: step)
                    }
                    lossSum += Double(result.loss) * Double(rows.count)
                    if recordsBatchLosses { batchLosses.append(result.loss) }
                    correct += result.correct
                    seen += rows.count
                    if trainsByBackprop {
                        backpropagate(result.gradient, traces: traces, first: first, trained: trained, adam: &adam, rate: rate)
                        if let bad = model.firstNonFiniteParameters(among: phase.blocks) {
                            throw TrainingError.nonFinite(what: "the weights after the Adam step", block: bad, epoch: epoch, step: step)
                        }
                    }
                }
                for i in phase.blocks {
                    if let maximum = maxima[i], let delta = deltaBuffers[i], let schedule = schedules[i] {
                        applyHebbian(block: i, delta: delta, maxAbsolute: maximum, schedule: schedule, unitNormalisation: unitNormalised[i] ?? false)
                        guard radiiCache[i]?.allSatisfy(\.isFinite) ?? true else {
                            throw TrainingError.nonFinite(what: "the weights after the Hebbian update", block: i, epoch: epoch, step: step)
                        }
                    }
                }
                try emit(.batchEnded(index: index, epoch: epoch, step: step, steps: steps))
            }
            let isPrint = epoch == 1 || epoch % max(1, data.config.printFrequency) == 0 || epoch == phase.epochs
            var record = EpochRecord(
                phase: index, kind: phase.kind, blocks: phase.blocks, epoch: epoch, epochs: phase.epochs,
                learningRate: rate, trainLoss: seen > 0 ? Float(lossSum / Double(seen)) : nil,
                trainAccuracy: seen > 0 ? 100 * Float(correct) / Float(seen) : nil, testLoss: nil,
                testAccuracy: nil, convergence: nil, r1: nil, seconds: Date().timeIntervalSince(started))
            // Measures of every trained Hebbian block; the line shows the last one's (quirks 15, 16 fixed).
            let measures = hebbianMeasures(blocks: phase.blocks, schedules: schedules, tallies: tallies)
            if let last = measures.last {
                (record.convergence, record.r1, record.hebbian) = (last.convergence, last.r1, measures)
                record.meanRadius = last.meanRadius
                if phase.kind == .unsupervised || !trainsByBackprop {
                    record.learningRate = BlockMeasures.mean(last.neurons.learningRates)
                }
            }
            if isPrint && evaluatesOnPrintEpochs {
                if phase.kind == .unsupervised {
                    // Unit-label accuracy for fully connected blocks only; conv phases report none (spec §4.4).
                    if let hebbian = phase.blocks.last, model.blocks[hebbian].hebbianLayer?.geometry == nil {
                        let accuracy = Evaluation.neuronLabelAccuracy(model: model, block: hebbian, data: data)
                        (record.trainAccuracy, record.testAccuracy) = (accuracy.train, accuracy.test)
                    }
                } else if let result = try classifier?.evaluate() {
                    (record.testLoss, record.testAccuracy) = (result.loss, result.accuracy)
                } else {
                    if evaluationSource == nil {
                        evaluationSource = FeatureSource(images: data.evaluation, prefix: prefix, augmentation: .none, caching: cachesFrozenFeatures)
                    }
                    let result = evaluationSource?.cached.map {
                        Evaluation.classify(suffix: Model(blocks: Array(model.blocks[first...])), features: $0, labels: data.evaluation.labels, loss: resolved.loss)
                    } ?? Evaluation.classify(model: model, images: data.evaluation, loss: resolved.loss)
                    (record.testLoss, record.testAccuracy) = (result.loss, result.accuracy)
                }
            }
            record.seconds = Date().timeIntervalSince(started)
            if recordsBatchLosses { record.batchLosses = batchLosses }
            try emit(.epochEnded(record))
            let state = PhaseProgress(phase: index, epochsCompleted: epoch, generator: rng, hebbianUpdates: updateCounts)
            try emit(.epochCheckpoint(index: index, progress: state, model: model, optimizer: adam))
        }
        try emit(.phaseEnded(index: index, phase: phase))
    }

    /// Radii ‖w_c‖_p of Hebbian block `i`.
    public func radii(of i: Int) -> [Float] {
        if case .hebbian(let layer) = model.blocks[i].layer { return layer.radii }
        return []
    }

    /// Measures of the Hebbian blocks among `blocks` that have a schedule, in block order.
    func hebbianMeasures(blocks: [Int], schedules: [Int: LearningRateSchedule], tallies: [Int: WinTally]) -> [BlockMeasures] {
        blocks.sorted().compactMap { i in
            guard let schedule = schedules[i], let layer = model.blocks[i].hebbianLayer else { return nil }
            let radii = layer.radii
            let rates = schedule.rates(radii: radii, updateIndex: updateCounts[i])
            return BlockMeasures(block: i, layer: layer, radii: radii, rates: rates, tally: tallies[i])
        }
    }

    private mutating func applyHebbian(
        block i: Int, delta: Tensor, maxAbsolute: Float, schedule: LearningRateSchedule, unitNormalisation: Bool
    ) {
        let step = updateCounts[i]
        let radii = radiiCache[i] ?? self.radii(of: i)
        radiiCache[i] = model.blocks[i].withHebbianLayer { layer in
            let rates = schedule.rates(radii: radii, updateIndex: step)
            var newRadii: [Float] = []
            let power = layer.lebesguePower
            layer.updateWeights {
                newRadii = HebbianDelta.apply(
                    raw: delta, maxAbsolute: maxAbsolute, rates: rates, to: &$0, lebesguePower: power,
                    unitNormalisation: unitNormalisation)
            }
            return newRadii
        }
        updateCounts[i] += 1
    }

    /// The prefix of the names Adam keeps block `i`'s layer parameters under ("blocks.i.layer.").
    static func parameterPrefix(block i: Int) -> String { "blocks.\(i).layer." }

    /// One Adam step on the BP layer of `block` (model index `index`, which names its moments).
    static func adamStep(_ block: inout Block, index i: Int, parameters: Block.LayerGradients, adam: inout Adam, rate: Float) {
        let name = parameterPrefix(block: i)
        switch block.layer {
        case .linear(var layer):
            adam.step(name + "weight", parameter: &layer.weight, gradient: parameters.weight, learningRate: rate)
            if let bias = parameters.bias { adam.step(name + "bias", parameter: &layer.bias, gradient: bias, learningRate: rate) }
            block.layer = .linear(layer)
        case .convolution(var layer):
            adam.step(name + "weight", parameter: &layer.weight, gradient: parameters.weight, learningRate: rate)
            if var b = layer.bias, let bias = parameters.bias {
                adam.step(name + "bias", parameter: &b, gradient: bias, learningRate: rate)
                layer.bias = b
            }
            block.layer = .convolution(layer)
        case .hebbian: break
        }
    }

    private mutating func backpropagate(
        _ gradient: Tensor, traces: [Block.Trace], first: Int, trained: Set<Int>, adam: inout Adam, rate: Float
    ) {
        var g = gradient
        for i in stride(from: model.blocks.count - 1, through: first, by: -1) {
            let (input, parameters) = model.blocks[i].backward(g, trace: traces[i - first])
            if trained.contains(i), let parameters {
                Trainer.adamStep(&model.blocks[i], index: i, parameters: parameters, adam: &adam, rate: rate)
            }
            if i == first || !trained.contains(where: { $0 < i }) { break }
            g = input
        }
    }
}
