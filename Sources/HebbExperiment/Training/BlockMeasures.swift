import HebbModel
import HebbRules
import HebbTensor
import HebbText

/// Where each unit's post-synaptic signal went during one epoch: the bounded, per-epoch form of
/// SoftHebb's win statistics (quirk 18 fixed: reset every epoch, fed by training batches only).
///
/// Positive signal is Hebbian (the winner's share), negative signal anti-Hebbian (softkrotov's
/// losers, Krotov's k-th ranked unit).
public struct WinTally: Sendable, Equatable {
    /// Summed positive signal per unit.
    public private(set) var hebbianMass: [Double]
    /// Summed |negative signal| per unit.
    public private(set) var antiHebbianMass: [Double]

    /// Σu, Σu², the number of currents and of positive currents seen, and the competitions
    /// (rows) they came in: pytorch-hebbian's activation statistics of the layer output.
    public private(set) var currentSum = 0.0, currentSquares = 0.0, currentCount = 0, positiveCount = 0, competitions = 0

    /// An empty tally for `units` units.
    public init(units: Int) {
        hebbianMass = [Double](repeating: 0, count: units)
        antiHebbianMass = [Double](repeating: 0, count: units)
    }

    /// A tally from a device's per-unit totals (five per unit: Σ max(y, 0), Σ max(−y, 0), Σu,
    /// Σu², #(u > 0); see `Backend.accumulateTally`) over `competitions` rows.
    init(units: Int, deviceTotals t: [Double], competitions rows: Int) {
        precondition(t.count == 5 * units, "\(t.count) device totals for \(units) units")
        hebbianMass = (0..<units).map { t[5 * $0] }
        antiHebbianMass = (0..<units).map { t[5 * $0 + 1] }
        currentSum = (0..<units).reduce(0) { $0 + t[5 * $1 + 2] }
        currentSquares = (0..<units).reduce(0) { $0 + t[5 * $1 + 3] }
        positiveCount = Int((0..<units).reduce(0) { $0 + t[5 * $1 + 4] })
        currentCount = rows * units
        competitions = rows
    }

    /// Adds one batch's currents u (M, O) to the activation statistics.
    public mutating func add(currents: Tensor) {
        var (sum, squares, positive) = (0.0, 0.0, 0)
        currents.scalars.withUnsafeBufferPointer { u in
            // Eight-lane Float partial sums per chunk of 4096 values, Double across chunks.
            let count = u.count
            var start = 0
            while start < count {
                let end = min(count, start &+ 4096)
                var s = SIMD8<Float>(), q = SIMD8<Float>(), p = SIMD8<Int32>()
                var i = start
                while i &+ 8 <= end {
                    var v = SIMD8<Float>()
                    for l in 0..<8 { v[l] = u[i &+ l] }
                    s += v
                    q += v * v
                    p &-= unsafeBitCast(v .> 0, to: SIMD8<Int32>.self)  // true lanes are −1
                    i &+= 8
                }
                var (tailSum, tailSquares) = (Float(0), Float(0))
                while i < end {
                    tailSum += u[i]
                    tailSquares += u[i] * u[i]
                    if u[i] > 0 { positive &+= 1 }
                    i &+= 1
                }
                sum += Double(s.sum() + tailSum)
                squares += Double(q.sum() + tailSquares)
                positive &+= Int(p.wrappedSum())
                start = end
            }
        }
        currentSum += sum
        currentSquares += squares
        currentCount += currents.count
        positiveCount += positive
        competitions += currents.rows
    }

    /// Adds one batch's signal; its unit 0 is unit `offset` of the layer (grouped convolutions).
    public mutating func add(_ signal: PostSynapticSignal, unitOffset offset: Int = 0) {
        switch signal {
        case .dense(let y):
            let (rows, units) = (y.rows, y.columns)
            var positive = [Double](repeating: 0, count: units), negative = positive
            var rowPositive = [Float](repeating: 0, count: units), rowNegative = rowPositive
            y.scalars.withUnsafeBufferPointer { v in
                rowPositive.withUnsafeMutableBufferPointer { up in
                    rowNegative.withUnsafeMutableBufferPointer { down in
                        // Float partial sums per block of rows (branch-free, vectorisable over
                        // units); Double across blocks.
                        for blockStart in stride(from: 0, to: rows, by: 256) {
                            for r in blockStart..<min(rows, blockStart &+ 256) {
                                let base = r &* units
                                for c in 0..<units {
                                    let value = v[base &+ c]
                                    up[c] += max(value, 0)
                                    down[c] += max(-value, 0)
                                }
                            }
                            for c in 0..<units {
                                positive[c] += Double(up[c])
                                negative[c] += Double(down[c])
                                (up[c], down[c]) = (0, 0)
                            }
                        }
                    }
                }
            }
            for c in 0..<units {
                hebbianMass[offset + c] += positive[c]
                antiHebbianMass[offset + c] += negative[c]
            }
        case .sparse(_, _, _, let entries):
            for entry in entries {
                let unit = offset + Int(entry.unit)
                if entry.value > 0 { hebbianMass[unit] += Double(entry.value) } else { antiHebbianMass[unit] -= Double(entry.value) }
            }
        }
    }

    /// Σ positive / Σ |signal| over all units: 1 for plain winner-take-all, the winner's mean
    /// softmax value for softkrotov (SoftHebb's "MW"), 1/(1+Δ) for Krotov. Nil before any signal.
    public var hebbianShare: Float? {
        let (positive, negative) = (hebbianMass.reduce(0, +), antiHebbianMass.reduce(0, +))
        return positive + negative > 0 ? Float(positive / (positive + negative)) : nil
    }
}

/// Per-epoch measures of one trained Hebbian block (spec §4.5's Info string and neuron table).
public struct BlockMeasures: Codable, Sendable, Equatable {
    /// Block index.
    public var block: Int
    /// Whether the block is convolutional (R1 threshold 0.01, 30 units in the printed table).
    public var convolutional: Bool
    /// mean_c |r_c − 1|.
    public var convergence: Float
    /// Units with |r_c − 1| below 0.01 (conv) or 0.005 (linear), SoftHebb's thresholds.
    public var r1: Int
    /// Mean over units of each unit's mean weight (MW), and the unbiased std of all weights (SW).
    public var meanWeight: Float, weightStd: Float
    /// Mean radius (MR), its unbiased std (SR), mean and max |r − mean r| (MeD, MaD).
    public var meanRadius: Float, radiusStd: Float, meanDeviation: Float, maxDeviation: Float
    /// Share of the epoch's signal that was Hebbian (positive); `antiHebbianPercent` = 100·(1 − it).
    public var hebbianShare: Float?
    /// Percentage of the epoch's signal that was anti-Hebbian (negative).
    public var antiHebbianPercent: Float?
    /// pytorch-hebbian's unit convergence: the fraction of units with Σ_j |w_j|^p < 1 + 0.1.
    public var unitConvergence: Float
    /// Mean and std of the layer's currents u over the epoch, and the mean number of positive
    /// currents per competition (pytorch-hebbian's `num_activations_mean`); nil without a tally.
    public var activationMean: Float?, activationStd: Float?, positiveActivations: Float?
    /// The neuron table: per unit η, radius, % of the epoch's Hebbian signal, % of its
    /// anti-Hebbian signal (nil when the rule has none). Every unit, in order.
    public var neurons: NeuronTable

    /// Measures `layer` (after the epoch's updates) with per-unit rates `rates` and `tally`.
    public init(block: Int, layer: HebbianLayer, radii: [Float], rates: [Float], tally: WinTally?) {
        self.block = block
        convolutional = layer.geometry != nil
        let threshold: Float = convolutional ? 0.01 : 0.005
        let distances = radii.map { abs($0 - 1) }
        convergence = BlockMeasures.mean(distances)
        r1 = distances.filter { $0 < threshold }.count
        let w = layer.weight
        let unitMeans = (0..<w.rows).map { r in BlockMeasures.mean(Array(w.scalars[(r * w.columns)..<((r + 1) * w.columns)])) }
        meanWeight = BlockMeasures.mean(unitMeans)
        weightStd = BlockMeasures.standardDeviation(w.scalars)
        meanRadius = BlockMeasures.mean(radii)
        radiusStd = BlockMeasures.standardDeviation(radii)
        let deviations = radii.map { [meanRadius] in abs($0 - meanRadius) }
        meanDeviation = BlockMeasures.mean(deviations)
        maxDeviation = deviations.max() ?? 0
        let power = layer.lebesguePower
        unitConvergence = BlockMeasures.mean(radii.map { pow($0, power) < 1 + BlockMeasures.unitConvergenceTolerance ? 1 : 0 })
        if let tally, tally.currentCount > 0 {
            let n = Double(tally.currentCount)
            let mean = tally.currentSum / n
            activationMean = Float(mean)
            activationStd = Float(max(0, tally.currentSquares / n - mean * mean).squareRoot())
            positiveActivations = Float(Double(tally.positiveCount) / Double(max(1, tally.competitions)))
        }
        hebbianShare = tally?.hebbianShare
        antiHebbianPercent = hebbianShare.map { 100 * (1 - $0) }
        let percent = { (mass: [Double]) -> [Float] in
            let total = mass.reduce(0, +)
            return mass.map { total > 0 ? Float(100 * $0 / total) : 0 }
        }
        let anti = tally.flatMap { $0.antiHebbianMass.contains { $0 > 0 } ? percent($0.antiHebbianMass) : nil }
        neurons = NeuronTable(
            learningRates: rates.count == radii.count ? rates : [Float](repeating: rates.first ?? 0, count: radii.count),
            radii: radii, winPercent: tally.map { percent($0.hebbianMass) } ?? [], antiHebbianPercent: anti)
    }

    /// SoftHebb's Info string: `MW:…/SW:…/MR:…/SR:…/MeD:…/MaD:…` (`.3e`), then `/MW:…/MAW:…`
    /// (winner's and anti-Hebbian share, `.3f`) when the rule has anti-Hebbian signal.
    public var info: String {
        let e = { (x: Float) in cFormat("%.3e", Double(x)) }
        var text = "b\(block) MW:\(e(meanWeight))/SW:\(e(weightStd))/MR:\(e(meanRadius))/SR:\(e(radiusStd))/MeD:\(e(meanDeviation))/MaD:\(e(maxDeviation))"
        if let share = hebbianShare, share < 1 { text += cFormat("/MW:%.3f/MAW:%.3f", Double(share), Double(1 - share)) }
        return text
    }

    /// pytorch-hebbian's `UnitConvergence` tolerance.
    public static let unitConvergenceTolerance: Float = 0.1

    /// Arithmetic mean (0 for none).
    static func mean(_ values: [Float]) -> Float {
        values.isEmpty ? 0 : Float(values.reduce(0.0) { $0 + Double($1) } / Double(values.count))
    }

    /// Unbiased standard deviation (0 for fewer than two values).
    static func standardDeviation(_ values: [Float]) -> Float {
        guard values.count > 1 else { return 0 }
        let m = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let squares = values.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) }
        return Float((squares / Double(values.count - 1)).squareRoot())
    }
}

/// Per-unit columns of the neuron table.
public struct NeuronTable: Codable, Sendable, Equatable {
    /// Hebbian learning rate η per unit after the epoch.
    public var learningRates: [Float]
    /// Radius ‖w_c‖_p per unit.
    public var radii: [Float]
    /// Percentage of the epoch's Hebbian (positive) signal each unit received: the share of wins
    /// for hard rules, of softmax mass for soft ones. Empty when no tally was kept.
    public var winPercent: [Float]
    /// Percentage of the epoch's anti-Hebbian signal per unit (Krotov: share of k-th rankings).
    public var antiHebbianPercent: [Float]?

    /// SoftHebb's org table of the first `count` units (20 linear, 30 conv).
    public func formatted(first count: Int) -> String {
        let n = min(count, radii.count)
        let cell = { (s: String) in s.padded(toLength: 9) }
        var rows = ["|" + cell("unit") + (0..<n).map { "|" + cell(String($0)) }.joined() + "|"]
        rows.append("|" + cell("lr") + learningRates.prefix(n).map { "|" + cell(cFormat("%.2e", Double($0))) }.joined() + "|")
        rows.append("|" + cell("radius") + radii.prefix(n).map { "|" + cell(cFormat("%.2f", Double($0))) }.joined() + "|")
        if !winPercent.isEmpty {
            rows.append("|" + cell("win %") + winPercent.prefix(n).map { "|" + cell(cFormat("%.2f", Double($0))) }.joined() + "|")
        }
        if let anti = antiHebbianPercent {
            rows.append("|" + cell("anti %") + anti.prefix(n).map { "|" + cell(cFormat("%.2f", Double($0))) }.joined() + "|")
        }
        return rows.joined(separator: "\n")
    }
}
