import HebbTensor

// Shapes: M competitions, N inputs per competition, O units. y (M, O) the post-synaptic signal,
// u (M, O) the currents, x (M, N) the inputs, W (O, N) the weights.

/// How a post-synaptic signal becomes a weight change: `raw_c = Σ_m y'_mc·x_m − d_c·w_c`, then a
/// scale. The families differ in y', the decay coefficient d_c and the scale.
public enum WeightUpdateForm: Sendable, Equatable {
    /// SoftHebb (ICLR 2023, eq. 6) and Krotov–Hopfield (PNAS 2019, eq. 3): y' = y,
    /// d_c = Σ_m y_mc·u_mc, then one global max-abs normaliser `raw / (max|raw| + 1e-30)`.
    case globalMaxAbsolute
    /// The same change averaged over the competitions: `raw / M` (Oja's rule with y = u, as
    /// PyTorch-Hebbian's OjasRule averages over the batch).
    case competitionMean
    /// Plain Hebb with weight decay λ: y' = y, d_c = λ·M, then `raw / M`, i.e.
    /// `ΔW = mean_m(y_m·x_mᵀ) − λ·W`.
    case plainHebbian(weightDecay: Float)
    /// Lagani's weighted average (HebbianMap2d.update, rules `base` and `hebb`): each competition
    /// takes the step `|r|·(sign(r)·x − w)` weighted by |r|, averaged with weights |r| (a unit
    /// without signal keeps its weights): y' = r·|r|, d_c = Σ_m r², scale 1 / Σ_m |r_mc|.
    /// With a binary winner mask this is `mean of the inputs won − w`.
    case weightedAverage

    /// Whether the change is divided by its own max |raw| (one number for the whole layer);
    /// the other forms scale their rows before returning.
    public var isGloballyNormalised: Bool { self == .globalMaxAbsolute }

    /// The signal whose transpose multiplies the inputs: y' (r·|r| for the weighted average).
    func inputSignal(_ signal: PostSynapticSignal) -> PostSynapticSignal {
        guard self == .weightedAverage else { return signal }
        switch signal {
        case .dense(let y): return .dense(y.map { $0 * abs($0) })
        case .sparse(let rows, let units, let perRow, let entries):
            return .sparse(
                rows: rows, units: units, perRow: perRow,
                entries: entries.map { SparseEntry(unit: $0.unit, value: $0.value * abs($0.value)) })
        }
    }

    /// Per-unit decay coefficients d (O) and row scales (O) for `signal` over currents u (M, O).
    func coefficients(signal: PostSynapticSignal, currents u: Tensor) -> (decay: [Float], scale: [Float]) {
        let (m, o) = (u.rows, u.columns)
        let meanScale = [Float](repeating: 1 / Float(max(1, m)), count: o)
        switch self {
        case .plainHebbian(let lambda): return ([Float](repeating: lambda * Float(m), count: o), meanScale)
        case .globalMaxAbsolute, .competitionMean:
            let decay = WeightUpdateForm.sums(signal, rows: m, units: o) { y, r, c in
                y * u.scalars.withUnsafeBufferPointer { $0[r &* o &+ c] }
            } dense: { y, decay in
                u.scalars.withUnsafeBufferPointer { up in
                    for r in 0..<m { for c in 0..<o { decay[c] += y[r &* o &+ c] * up[r &* o &+ c] } }
                }
            }
            return (decay, self == .competitionMean ? meanScale : [Float](repeating: 1, count: o))
        case .weightedAverage:
            let squares = WeightUpdateForm.sums(signal, rows: m, units: o) { y, _, _ in y * y } dense: { y, decay in
                for r in 0..<m { for c in 0..<o { decay[c] += y[r &* o &+ c] * y[r &* o &+ c] } }
            }
            let mass = WeightUpdateForm.sums(signal, rows: m, units: o) { y, _, _ in abs(y) } dense: { y, decay in
                for r in 0..<m { for c in 0..<o { decay[c] += abs(y[r &* o &+ c]) } }
            }
            return (squares, mass.map { $0 == 0 ? 1 : 1 / $0 })
        }
    }

    /// Column sums of a function of the signal: `sparse(value, row, unit)` per non-zero, or
    /// `dense(y, sums)` over the whole (M, O) buffer.
    private static func sums(
        _ signal: PostSynapticSignal, rows m: Int, units o: Int, sparse: (Float, Int, Int) -> Float,
        dense: (UnsafeBufferPointer<Float>, inout [Float]) -> Void
    ) -> [Float] {
        var out = [Float](repeating: 0, count: o)
        switch signal {
        case .dense(let y): y.scalars.withUnsafeBufferPointer { dense($0, &out) }
        case .sparse(_, _, let perRow, let entries):
            for (i, e) in entries.enumerated() { out[Int(e.unit)] += sparse(e.value, i / perRow, Int(e.unit)) }
        }
        return out
    }
}
