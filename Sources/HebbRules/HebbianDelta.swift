import HebbTensor

/// The Hebbian weight change `raw_c = Σ_m y'_mc·x_m − d_c·w_c` (O, N) of a `WeightUpdateForm`,
/// with its divisor: SoftHebb's global max-abs normalisation `ΔW / (max|ΔW| + 1e-30)` (ICLR 2023,
/// §3; quirk 3) by default, or rows already scaled by the form (batch mean, Lagani's weighted
/// average), whose divisor is then 1.
///
/// The default form sums over competitions (not means), so the normalised step does not depend
/// on batch size.
public struct HebbianDelta: Sendable {
    /// The change before the divisor (O, N); already scaled per row for forms other than
    /// `.globalMaxAbsolute`.
    public var raw: Tensor
    /// The divisor: max |raw| for `.globalMaxAbsolute`, 1 for the other forms.
    public var maxAbsolute: Float

    /// Floor added to the normaliser (SoftHebb 1e-30; Krotov's notebook floors at the same value:
    /// `max(max|ΔW|, 1e-30)`, equal in Float32 whenever max|ΔW| ≥ 1e-22).
    public static let normaliserFloor: Float = 1e-30

    /// Computes the change for `signal` in `context`.
    public init(signal: PostSynapticSignal, context: RuleContext, form: WeightUpdateForm = .globalMaxAbsolute) {
        var raw = Tensor.zeros(context.weights.shape)
        maxAbsolute = HebbianDelta.compute(signal: signal, context: context, form: form, into: &raw)
        self.raw = raw
    }

    /// `raw / (maxAbsolute + 1e-30)`: the step for learning rate 1.
    public var normalised: Tensor { (1 / (maxAbsolute + HebbianDelta.normaliserFloor)) * raw }

    /// Writes the change into `raw` (reused buffer of shape (O, N)) and returns its divisor:
    /// max|ΔW| for `.globalMaxAbsolute`, 1 for the other forms (NaN when the change is not finite).
    public static func compute(
        signal: PostSynapticSignal, context: RuleContext, form: WeightUpdateForm = .globalMaxAbsolute,
        into raw: inout Tensor
    ) -> Float {
        let (m, n, o) = (context.inputs.rows, context.inputs.columns, context.weights.rows)
        precondition(raw.shape == context.weights.shape, "delta buffer \(raw.shape) vs W \(context.weights.shape)")
        let (decay, scale) = form.coefficients(signal: signal, currents: context.currents)
        var touched = [Bool](repeating: false, count: o)  // sparse path: rows with a signal
        if case .dense = signal { touched = [Bool](repeating: true, count: o) }
        if case .plainHebbian(let lambda) = form, lambda != 0 { touched = [Bool](repeating: true, count: o) }
        context.inputs.scalars.withUnsafeBufferPointer { x in
            raw.scalars.withUnsafeMutableBufferPointer { d in
                switch form.inputSignal(signal) {
                case .dense(let y):
                    precondition(y.shape == [m, o], "signal \(y.shape) vs currents \(context.currents.shape)")
                    y.scalars.withUnsafeBufferPointer { yp in
                        guard let yb = yp.baseAddress, let xb = x.baseAddress, let db = d.baseAddress else { return }
                        // (O, N) = yᵀ (O, M) · x (M, N)
                        BLAS.gemm(.transposed, .none, m: o, n: n, k: m, a: yb, lda: o, b: xb, ldb: n, c: db, ldc: n)
                    }
                case .sparse(_, _, let perRow, let entries):
                    // Zero the rows the signal touches; the decay pass below writes zeros into the
                    // others, or zeroes them itself when every row is touched.
                    let all = touched.allSatisfy { $0 }
                    if all { for j in 0..<(o &* n) { d[j] = 0 } }
                    for e in entries where !touched[Int(e.unit)] {
                        touched[Int(e.unit)] = true
                        let base = Int(e.unit) &* n
                        for j in 0..<n { d[base &+ j] = 0 }
                    }
                    for (i, e) in entries.enumerated() {
                        let xRow = (i / perRow) &* n
                        let dRow = Int(e.unit) &* n
                        for j in 0..<n { d[dRow &+ j] += e.value * x[xRow &+ j] }
                    }
                }
            }
        }
        let maximum = subtractDecay(decay, scale: scale, touched: touched, weights: context.weights, from: &raw)
        if form.isGloballyNormalised { return maximum }
        return maximum.isFinite ? 1 : .nan
    }

    /// `raw_c ← (raw_c − d_c·w_c)·scale_c` for touched rows, 0 for the others; returns max |raw|.
    private static func subtractDecay(
        _ decay: [Float], scale: [Float], touched: [Bool], weights: Tensor, from raw: inout Tensor
    ) -> Float {
        let (o, n) = (weights.rows, weights.columns)
        var maximum: Float = 0
        weights.scalars.withUnsafeBufferPointer { w in
            raw.scalars.withUnsafeMutableBufferPointer { d in
                // One pass: subtract the decay term, scale and track max |ΔW|.
                for c in 0..<o {
                    let base = c &* n
                    guard touched[c] else {
                        for j in 0..<n { d[base &+ j] = 0 }
                        continue
                    }
                    let (coefficient, factor) = (decay[c], scale[c])
                    var m0: Float = 0, m1: Float = 0
                    var j = 0
                    while j &+ 2 <= n {
                        let v0 = (d[base &+ j] - coefficient * w[base &+ j]) * factor
                        let v1 = (d[base &+ j &+ 1] - coefficient * w[base &+ j &+ 1]) * factor
                        d[base &+ j] = v0
                        d[base &+ j &+ 1] = v1
                        m0 = max(m0, abs(v0))
                        m1 = max(m1, abs(v1))
                        j &+= 2
                    }
                    if j < n {
                        d[base &+ j] = (d[base &+ j] - coefficient * w[base &+ j]) * factor
                        m0 = max(m0, abs(d[base &+ j]))
                    }
                    // NaN propagates: max() drops it, so test explicitly.
                    if !(m0.isFinite && m1.isFinite) { maximum = .nan }
                    maximum = maximum.isNaN ? maximum : max(maximum, max(m0, m1))
                }
            }
        }
        return maximum
    }

    /// `W_c += (η_c / (divisor + 1e-30))·raw_c` for every unit c: the step with per-unit learning
    /// rates `rates` (O); with `unitNormalisation` each row is then rescaled to p-norm 1 (plain
    /// Hebb's explicit normalisation). Returns the new radii ‖w_c‖_p, computed in the same pass.
    @discardableResult
    public static func apply(
        raw: Tensor, maxAbsolute: Float, rates: [Float], to weights: inout Tensor, lebesguePower p: Float = 2,
        unitNormalisation: Bool = false
    ) -> [Float] {
        let (o, n) = (weights.rows, weights.columns)
        precondition(raw.shape == weights.shape && rates.count == o, "update shapes: Δ \(raw.shape), W \(weights.shape), η \(rates.count)")
        let inverse = 1 / (maxAbsolute + normaliserFloor)
        var radii = [Float](repeating: 0, count: o)
        raw.scalars.withUnsafeBufferPointer { d in
            weights.scalars.withUnsafeMutableBufferPointer { w in
                radii.withUnsafeMutableBufferPointer { out in
                    for c in 0..<o {
                        let step = rates[c] * inverse
                        let base = c &* n
                        if step != 0 { for j in 0..<n { w[base &+ j] += step * d[base &+ j] } }
                        Kernels.normsRows(
                            UnsafeBufferPointer(rebasing: UnsafeBufferPointer(w)[base..<(base &+ n)]), rows: 1, columns: n, p: p,
                            into: UnsafeMutableBufferPointer(rebasing: out[c..<(c &+ 1)]))
                        if unitNormalisation && out[c] > 0 {
                            let factor = 1 / out[c]
                            for j in 0..<n { w[base &+ j] *= factor }
                            out[c] = 1
                        }
                    }
                }
            }
        }
        return radii
    }
}
