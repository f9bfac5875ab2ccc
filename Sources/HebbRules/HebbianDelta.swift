import HebbTensor

/// The shared Hebbian weight change `ΔW = yᵀ·x − diag(Σ_m y_mc·u_mc)·W` (O, N), before and after
/// SoftHebb's global max-abs normalisation `ΔW / (max|ΔW| + 1e-30)` (ICLR 2023, §3; quirk 3).
///
/// Sums over competitions (not means), so the normalised step does not depend on batch size.
public struct HebbianDelta: Sendable {
    /// The unnormalised change (O, N).
    public var raw: Tensor
    /// max |raw|, the normaliser.
    public var maxAbsolute: Float

    /// Floor added to the normaliser (SoftHebb 1e-30; Krotov's notebook floors at the same value).
    public static let normaliserFloor: Float = 1e-30

    /// Computes the change for `signal` in `context`.
    public init(signal: PostSynapticSignal, context: RuleContext) {
        var raw = Tensor.zeros(context.weights.shape)
        maxAbsolute = HebbianDelta.compute(signal: signal, context: context, into: &raw)
        self.raw = raw
    }

    /// `raw / (max|raw| + 1e-30)`.
    public var normalised: Tensor { (1 / (maxAbsolute + HebbianDelta.normaliserFloor)) * raw }

    /// Writes the unnormalised change into `raw` (reused buffer of shape (O, N)) and returns max|ΔW|.
    public static func compute(
        signal: PostSynapticSignal, context: RuleContext, into raw: inout Tensor
    ) -> Float {
        let (m, n, o) = (context.inputs.rows, context.inputs.columns, context.weights.rows)
        precondition(raw.shape == context.weights.shape, "delta buffer \(raw.shape) vs W \(context.weights.shape)")
        var decay = [Float](repeating: 0, count: o)  // Σ_m y_mc·u_mc per unit
        var touched = [Bool](repeating: false, count: o)  // sparse path: rows with a signal
        if case .dense = signal { touched = [Bool](repeating: true, count: o) }
        context.inputs.scalars.withUnsafeBufferPointer { x in
            context.currents.scalars.withUnsafeBufferPointer { u in
                raw.scalars.withUnsafeMutableBufferPointer { d in
                    switch signal {
                    case .dense(let y):
                        precondition(y.shape == [m, o], "signal \(y.shape) vs currents \(context.currents.shape)")
                        y.scalars.withUnsafeBufferPointer { yp in
                            guard let yb = yp.baseAddress, let xb = x.baseAddress, let db = d.baseAddress else { return }
                            // (O, N) = yᵀ (O, M) · x (M, N)
                            BLAS.gemm(.transposed, .none, m: o, n: n, k: m, a: yb, lda: o, b: xb, ldb: n, c: db, ldc: n)
                            for r in 0..<m {
                                for c in 0..<o { decay[c] += yp[r &* o &+ c] * u[r &* o &+ c] }
                            }
                        }
                    case .sparse(_, _, let perRow, let entries):
                        // Zero only the rows the signal touches; the decay pass below writes
                        // zeros into the others.
                        for e in entries where !touched[Int(e.unit)] {
                            touched[Int(e.unit)] = true
                            let base = Int(e.unit) &* n
                            for j in 0..<n { d[base &+ j] = 0 }
                        }
                        for (i, e) in entries.enumerated() {
                            let r = i / perRow
                            let c = Int(e.unit)
                            decay[c] += e.value * u[r &* o &+ c]
                            let xRow = r &* n
                            let dRow = c &* n
                            for j in 0..<n { d[dRow &+ j] += e.value * x[xRow &+ j] }
                        }
                    }
                }
            }
        }
        var maximum: Float = 0
        context.weights.scalars.withUnsafeBufferPointer { w in
            raw.scalars.withUnsafeMutableBufferPointer { d in
                // One pass: subtract the decay term and track max |ΔW|.
                for c in 0..<o {
                    let base = c &* n
                    guard touched[c] else {
                        for j in 0..<n { d[base &+ j] = 0 }
                        continue
                    }
                    let coefficient = decay[c]
                    var m0: Float = 0, m1: Float = 0
                    var j = 0
                    while j &+ 2 <= n {
                        let v0 = d[base &+ j] - coefficient * w[base &+ j]
                        let v1 = d[base &+ j &+ 1] - coefficient * w[base &+ j &+ 1]
                        d[base &+ j] = v0
                        d[base &+ j &+ 1] = v1
                        m0 = max(m0, abs(v0))
                        m1 = max(m1, abs(v1))
                        j &+= 2
                    }
                    if j < n {
                        d[base &+ j] -= coefficient * w[base &+ j]
                        m0 = max(m0, abs(d[base &+ j]))
                    }
                    maximum = max(maximum, max(m0, m1))
                }
            }
        }
        return maximum
    }

    /// `W_c += (η_c / (max|ΔW| + 1e-30))·raw_c` for every unit c: the normalised step with
    /// per-unit learning rates `rates` (O). Returns the new radii ‖w_c‖_p, computed in the same pass.
    @discardableResult
    public static func apply(
        raw: Tensor, maxAbsolute: Float, rates: [Float], to weights: inout Tensor, lebesguePower p: Float = 2
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
                    }
                }
            }
        }
        return radii
    }
}
