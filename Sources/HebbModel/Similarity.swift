import HebbText
import HebbTensor

// Shapes: M competitions (samples × positions), N fan-in, O units. Patches x (M, N), weights
// W (O, N), dot products u = x·Wᵀ (M, O).

/// What a Hebbian layer outputs for an input patch x and a unit's weights w (Lagani's
/// HebbianMap2d `out`/`similarity` functions). Every kind but `dot` needs p = 2 and one group.
public enum Similarity: String, Codable, Sendable, Equatable, CaseIterable {
    /// `x·ŵ`, ŵ = sign(W)·|W|^(p−1): SoftHebb's and Krotov's current.
    case dot
    /// `x·w / ‖w‖` (Lagani's `vector_proj2d`, his classifier's output).
    case projection = "proj"
    /// `x·w / (‖x‖·‖w‖)` (Lagani's `cos_sim2d`; a zero norm counts as 1): angular similarity.
    case angular
    /// `exp(−‖x − w‖² / (2N))` (Lagani's `gauss` with σ² = N): Euclidean similarity.
    case euclidean = "euclid"

    /// Turns dot products u (M, O) of `patches` (M, N) with `weight` (O, N) into this similarity.
    public func apply(to u: inout Tensor, patches: Tensor, weight: Tensor) {
        guard self != .dot else { return }
        let (m, o, n) = (u.rows, u.columns, weight.columns)
        precondition(patches.shape == [m, n] && weight.rows == o, "similarity: x \(patches.shape), W \(weight.shape), u \(u.shape)")
        let w = Similarity.norms(weight)
        let x = self == .projection ? [] : Similarity.norms(patches)
        u.scalars.withUnsafeMutableBufferPointer { s in
            for r in 0..<m {
                for c in 0..<o {
                    let i = r &* o &+ c
                    switch self {
                    case .dot: break
                    case .projection: s[i] /= nonZero(w[c])
                    case .angular: s[i] /= nonZero(x[r]) * nonZero(w[c])
                    case .euclidean:
                        let squared = Swift.max(0, x[r] * x[r] - 2 * s[i] + w[c] * w[c])
                        s[i] = exp(-squared / (2 * Float(n)))
                    }
                }
            }
        }
    }

    /// The gradient with respect to the patches (M, N) of a loss with gradient `g` (M, O) with
    /// respect to the similarities `s` (M, O) this layer produced from `patches` and `weight`.
    public func patchGradient(_ g: Tensor, similarities s: Tensor, patches: Tensor, weight: Tensor) -> Tensor {
        let (m, o, n) = (g.rows, g.columns, weight.columns)
        let w = Similarity.norms(weight)
        let x = Similarity.norms(patches)
        // dx_m = Σ_c a_mc·w_c − b_m·x_m, with a and b per kind.
        var a = g
        var b = [Float](repeating: 0, count: m)
        a.scalars.withUnsafeMutableBufferPointer { ap in
            for r in 0..<m {
                for c in 0..<o {
                    let i = r &* o &+ c
                    let (gi, si) = (g.scalars[i], s.scalars[i])
                    switch self {
                    case .dot: break
                    case .projection: ap[i] = gi / nonZero(w[c])
                    case .angular:
                        ap[i] = gi / (nonZero(x[r]) * nonZero(w[c]))
                        b[r] += gi * si / (nonZero(x[r]) * nonZero(x[r]))
                    case .euclidean:
                        ap[i] = gi * si / Float(n)
                        b[r] += gi * si / Float(n)
                    }
                }
            }
        }
        var dx = Tensor.matmul(a, weight)
        for r in 0..<m where b[r] != 0 {
            for j in 0..<n { dx.scalars[r * n + j] -= b[r] * patches.scalars[r * n + j] }
        }
        return dx
    }

    /// ‖row‖₂ of every row.
    static func norms(_ t: Tensor) -> [Float] { t.normsRows(p: 2).scalars }
}

/// Lagani's guard against division by zero: a zero norm counts as 1.
@inline(__always)
private func nonZero(_ norm: Float) -> Float { norm == 0 ? 1 : norm }
