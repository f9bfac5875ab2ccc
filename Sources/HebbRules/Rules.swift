import HebbTensor

/// SoftHebb's soft winner-take-all: `y = softmax(t·u)` over units (ICLR 2023, eq. 5).
///
/// With `antiHebbian` (SoftHebb's `softkrotov`, used by every published SoftHebb preset) the
/// signal keeps `+softmax` for the winning unit and flips it to `−softmax` for all others.
public struct SoftHebb: LearningRule, Equatable {
    /// Inverse temperature t = 1/τ of the softmax.
    public var inverseTemperature: Float
    /// Whether non-winners get the negated (anti-Hebbian) softmax signal.
    public var antiHebbian: Bool

    /// Creates the rule.
    public init(inverseTemperature: Float, antiHebbian: Bool) {
        self.inverseTemperature = inverseTemperature
        self.antiHebbian = antiHebbian
    }

    /// y = softmax(t·u), sign-flipped for non-winners when anti-Hebbian.
    public func postSynapticSignal(currents: Tensor) -> PostSynapticSignal {
        let (m, o) = (currents.rows, currents.columns)
        let y = [Float](unsafeUninitializedCapacity: m * o) { buffer, initialised in
            currents.scalars.withUnsafeBufferPointer { u in
                Kernels.softWinnerTakeAllRows(
                    u, rows: m, columns: o, inverseTemperature: inverseTemperature, antiHebbian: antiHebbian, into: buffer)
            }
            initialised = m * o
        }
        return .dense(Tensor(shape: [m, o], scalars: y))
    }
}

/// Hard winner-take-all: y = 1 for the unit with the largest current, 0 elsewhere.
public struct HardWinnerTakeAll: LearningRule, Equatable {
    /// Creates the rule.
    public init() {}

    /// One-hot of argmax u per row (lowest index on ties).
    public func postSynapticSignal(currents: Tensor) -> PostSynapticSignal {
        let winners = currents.argmaxRows()
        return .sparse(
            rows: currents.rows, units: currents.columns, perRow: 1,
            entries: winners.map { SparseEntry(unit: $0, value: 1) })
    }
}

/// Krotov–Hopfield ranking rule (PNAS 116:7723, 2019): the top unit gets y = +1 and the unit
/// ranked k-th gets y = −Δ (anti-Hebbian); SoftHebb calls it `hardkrotov`.
public struct KrotovHopfield: LearningRule, Equatable {
    /// Rank k of the anti-Hebbian unit (k ≥ 2).
    public var rankingK: Int
    /// Anti-Hebbian strength Δ.
    public var antiHebbianStrength: Float

    /// Creates the rule; k must be at least 2 (k = 1 would overwrite the winner).
    public init(rankingK: Int, antiHebbianStrength: Float) {
        precondition(rankingK >= 2, "Krotov ranking k must be ≥ 2, got \(rankingK)")
        self.rankingK = rankingK
        self.antiHebbianStrength = antiHebbianStrength
    }

    /// +1 for the top-ranked unit, −Δ for the k-th, found by partial selection.
    public func postSynapticSignal(currents: Tensor) -> PostSynapticSignal {
        let (m, o, k) = (currents.rows, currents.columns, rankingK)
        precondition(k <= o, "Krotov ranking k = \(k) exceeds the \(o) units")
        var ranked = [Int32](repeating: 0, count: m * k)
        currents.scalars.withUnsafeBufferPointer { u in
            ranked.withUnsafeMutableBufferPointer { Kernels.topKRows(u, rows: m, columns: o, k: k, into: $0) }
        }
        var entries = [SparseEntry](repeating: SparseEntry(unit: 0, value: 0), count: 2 * m)
        for r in 0..<m {
            entries[2 * r] = SparseEntry(unit: ranked[r * k], value: 1)
            entries[2 * r + 1] = SparseEntry(unit: ranked[r * k + k - 1], value: -antiHebbianStrength)
        }
        return .sparse(rows: m, units: o, perRow: 2, entries: entries)
    }
}

/// Supervised Hebbian learning (SoftHebb's `supervisedsoftkrotov` classifier): the teacher clamps
/// the post-synaptic signal to the one-hot target, so `Δw_c = Σ_{m: t_m = c} (x_m − u_mc·w_c)`,
/// then max-abs normalised like every rule (spec §4.3). One value per batch: it carries the
/// batch's targets.
public struct SupervisedHebbian: LearningRule, Equatable {
    /// Class index of each competition row.
    public var targets: [Int32]

    /// Creates the rule for one batch.
    public init(targets: [Int32]) { self.targets = targets }

    /// One-hot of the targets; the currents only fix the shape.
    public func postSynapticSignal(currents: Tensor) -> PostSynapticSignal {
        let (m, o) = (currents.rows, currents.columns)
        precondition(targets.count == m, "\(targets.count) targets for \(m) rows")
        precondition(targets.allSatisfy { $0 >= 0 && Int($0) < o }, "a target is outside 0..<\(o)")
        return .sparse(rows: m, units: o, perRow: 1, entries: targets.map { SparseEntry(unit: $0, value: 1) })
    }
}
