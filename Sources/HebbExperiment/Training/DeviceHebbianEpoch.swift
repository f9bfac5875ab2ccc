import HebbModel
import HebbRules
import HebbTensor

// Shapes: S training samples, B batch rows, P output positions per sample (1 when fully
// connected), M = B·P competitions, N fan-in, O units.

/// A rule as the device kernels run it.
enum DeviceRule: Equatable, Sendable {
    /// SoftHebb: y = softmax(t·u), anti-Hebbian sign flip for non-winners (`softkrotov`).
    case softHebb(inverseTemperature: Float, antiHebbian: Bool)
    /// Krotov–Hopfield: +1 for the top unit, −strength for the k-th.
    case krotov(k: Int, strength: Float)

    /// The device form of `rule`; nil for rules only the host runs (hard WTA, supervised).
    init?(_ rule: any LearningRule) {
        if let soft = rule as? SoftHebb {
            self = .softHebb(inverseTemperature: soft.inverseTemperature, antiHebbian: soft.antiHebbian)
        } else if let krotov = rule as? KrotovHopfield {
            self = .krotov(k: krotov.rankingK, strength: krotov.antiHebbianStrength)
        } else {
            return nil
        }
    }
}

/// Unsupervised epochs of one Hebbian layer, fully connected or convolutional (one group), with
/// everything on a `Backend`.
///
/// What stays on the device for the whole phase: the training features (S, F) (uploaded, or the
/// frozen blocks' outputs computed there by `DeviceForward`), the weights W and
/// ŵ, the radii and per-unit rates, a conv block's input batch-norm running statistics, and the
/// per-batch work buffers. Per batch, all on the device: the layer's inputs x (M, N) from
/// `DeviceBatchInput` (the batch rows gathered by the epoch's order; for a convolution, the
/// block's input batch norm and the unfolded patches, so M = B·P), u = x·ŵᵀ (sgemm), the rule's
/// signal y per competition, yᵀ·x (sgemm: summed over batch and positions), the decay term,
/// max|ΔW|, the normalised update with per-unit rates, the radii and the next rates. The host
/// uploads the epoch's order once and downloads weights, radii, running statistics and the tally
/// once per epoch: no host round trip per batch. The arithmetic is `HebbianDelta`'s and
/// `BatchNorm`'s (SoftHebb spec §3.2, §3.3, §1.6).
final class DeviceHebbianEpoch {
    let backend: any Backend
    /// Index of the block in its model.
    let block: Int
    let rule: DeviceRule
    let schedule: LearningRateSchedule
    let (units, fanIn, samples, batchSize): (Int, Int, Int, Int)
    let power: Float
    /// The layer's inputs per batch (and the block's input batch norm).
    let input: DeviceBatchInput
    private let weights, effective, currents, signal, delta, decay, maximum, radii, rates, tally: DeviceBuffer

    /// Uploads `features` (every training sample's input to the block, (S, F): (S, N) for a fully
    /// connected layer, (S, C·H·W) for a convolution), then as the initialiser with device features.
    convenience init(
        backend: any Backend, block: Int, layer: HebbianLayer, inputNorm: BatchNorm? = nil, rule: DeviceRule,
        schedule: LearningRateSchedule, features: Tensor, batchSize: Int
    ) throws {
        try self.init(
            backend: backend, block: block, layer: layer, inputNorm: inputNorm, rule: rule, schedule: schedule,
            features: try DeviceFeatures(uploading: features, to: backend), batchSize: batchSize)
    }

    /// Trains on `features` already on the device (every training sample's input to the block, as
    /// above); uploads the layer's weights and `inputNorm`'s running statistics (the block's input
    /// batch norm, trained with the layer).
    init(
        backend: any Backend, block: Int, layer: HebbianLayer, inputNorm: BatchNorm? = nil, rule: DeviceRule,
        schedule: LearningRateSchedule, features: DeviceFeatures, batchSize: Int
    ) throws {
        precondition(layer.groups == 1 && !layer.preTriangle && layer.similarity == .dot, "the device epoch runs ungrouped dot-product layers without pre-triangle")
        precondition(features.columns == (layer.geometry?.inputSize ?? layer.inputFeatures), "features \(features.rows)×\(features.columns) vs layer input")
        (self.backend, self.block, self.rule, self.schedule) = (backend, block, rule, schedule)
        (units, fanIn, samples, self.batchSize) = (layer.outputChannels, layer.inputFeatures, features.rows, max(1, batchSize))
        power = layer.lebesguePower
        let float = MemoryLayout<Float>.size
        input = try DeviceBatchInput(backend: backend, features: features, geometry: layer.geometry, norm: inputNorm, batchSize: self.batchSize)
        let rows = min(self.batchSize, max(samples, 1)) * input.positions
        weights = try backend.buffer(layer.weight.scalars)
        effective = power == 2 ? weights : try backend.allocate(bytes: units * fanIn * float)
        currents = try backend.allocate(bytes: rows * units * float)
        signal = try backend.allocate(bytes: rows * units * float)
        delta = try backend.allocate(bytes: units * fanIn * float)
        decay = try backend.allocate(bytes: units * float)
        maximum = try backend.allocate(bytes: float)
        radii = try backend.allocate(bytes: units * float)
        rates = try backend.allocate(bytes: units * float)
        tally = try backend.allocate(bytes: units * 5 * MemoryLayout<Double>.size)
        if power != 2 { try backend.signedPower(weights, count: units * fanIn, power: power - 1, into: effective) }
        try backend.radii(weights, units: units, fanIn: fanIn, power: power, into: radii)
    }

    /// One epoch over the samples in `order`; update k of the epoch has index `firstUpdate + k`
    /// (linear decay). Returns the epoch's signal/current tally and the number of updates.
    func epoch(order sampleOrder: [Int], firstUpdate: Int) throws -> (tally: WinTally, updates: Int) {
        try input.upload(order: sampleOrder)
        try backend.zero(tally, bytes: tally.bytes)
        var updates = 0
        for start in stride(from: 0, to: sampleOrder.count, by: batchSize) {
            let batchRows = min(batchSize, sampleOrder.count - start)
            try step(x: try input.batch(start: start, rows: batchRows), rows: batchRows * input.positions, updateIndex: firstUpdate + updates)
            updates += 1
        }
        let totals: [Double] = try backend.values(tally, count: units * 5)
        return (WinTally(units: units, deviceTotals: totals, competitions: sampleOrder.count * input.positions), updates)
    }

    /// One batch: the layer's inputs `x` (M, N) of `rows` = M competitions.
    private func step(x: DeviceBuffer, rows: Int, updateIndex: Int) throws {
        let b = backend
        try b.gemm(.none, .transposed, m: rows, n: units, k: fanIn, alpha: 1, a: x, lda: fanIn, b: effective, ldb: fanIn, beta: 0, c: currents, ldc: units)
        switch rule {
        case .softHebb(let t, let anti):
            try b.softWinnerTakeAll(currents, rows: rows, columns: units, inverseTemperature: t, antiHebbian: anti, into: signal)
        case .krotov(let k, let strength):
            try b.rankingSignal(currents, rows: rows, columns: units, k: k, strength: strength, into: signal)
        }
        try b.accumulateTally(signal: signal, currents: currents, rows: rows, columns: units, into: tally)
        // ΔW = yᵀ·x − diag(Σ_m y_mc·u_mc)·W
        try b.gemm(.transposed, .none, m: units, n: fanIn, k: rows, alpha: 1, a: signal, lda: units, b: x, ldb: fanIn, beta: 0, c: delta, ldc: fanIn)
        try b.decayCoefficients(signal: signal, currents: currents, rows: rows, columns: units, into: decay)
        try b.subtractDecay(delta, decay: decay, weights: weights, units: units, fanIn: fanIn)
        try b.maxAbsolute(delta, count: units * fanIn, into: maximum)
        switch schedule {
        case .radiusAdaptive(let base, let exponent):
            try b.adaptiveRates(radii: radii, units: units, base: base, power: exponent, into: rates)
            try b.normalisedUpdate(weights, delta: delta, maxAbsolute: maximum, rates: rates, rate: 0, units: units, fanIn: fanIn)
        case .linearDecay, .constant, .epochLinearDecay, .exponentialDecay:
            let rate = schedule.rates(radii: [0], updateIndex: updateIndex)[0]
            try b.normalisedUpdate(weights, delta: delta, maxAbsolute: maximum, rates: nil, rate: rate, units: units, fanIn: fanIn)
        }
        try b.radii(weights, units: units, fanIn: fanIn, power: power, into: radii)
        if power != 2 { try b.signedPower(weights, count: units * fanIn, power: power - 1, into: effective) }
    }

    /// The current weights W (O, N), downloaded.
    func downloadWeights() throws -> Tensor {
        Tensor(shape: [units, fanIn], scalars: try backend.values(weights, count: units * fanIn))
    }

    /// The current radii ‖w_c‖_p (O), downloaded.
    func downloadRadii() throws -> [Float] { try backend.values(radii, count: units) }

    /// The block's input batch norm with the device's running statistics (downloaded); nil without one.
    func downloadInputNorm() throws -> BatchNorm? { try input.norm?.downloaded() }
}
