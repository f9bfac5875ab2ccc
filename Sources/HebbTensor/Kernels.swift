// Fast row-wise kernels on raw buffers. Shapes: a matrix is (R rows, C columns), row-major.
// Each kernel has a plain counterpart in Reference.swift and a toleranced test against it.

/// Hot-path kernels over unsafe buffers, shared by tensors, layers and rules.
public enum Kernels {
    /// Largest |x| over the buffer.
    @inlinable
    public static func maxAbsolute(_ x: UnsafeBufferPointer<Float>) -> Float {
        var m0: Float = 0, m1: Float = 0, m2: Float = 0, m3: Float = 0
        let n = x.count
        var i = 0
        while i &+ 4 <= n {
            m0 = max(m0, abs(x[i])); m1 = max(m1, abs(x[i &+ 1]))
            m2 = max(m2, abs(x[i &+ 2])); m3 = max(m3, abs(x[i &+ 3]))
            i &+= 4
        }
        while i < n { m0 = max(m0, abs(x[i])); i &+= 1 }
        return max(max(m0, m1), max(m2, m3))
    }

    /// Row-wise softmax of `t·x` in place: `x[r, c] ← exp(t·x[r,c] − max) / Σ`.
    @inlinable
    public static func softmaxRows(
        _ x: UnsafeMutableBufferPointer<Float>, rows: Int, columns: Int, inverseTemperature t: Float
    ) {
        for r in 0..<rows {
            let base = r &* columns
            var maximum = -Float.infinity
            for c in 0..<columns { maximum = max(maximum, t * x[base &+ c]) }
            var total: Float = 0
            for c in 0..<columns {
                let z = t * x[base &+ c] - maximum
                // Values below e^-87 would be subnormal; they contribute nothing at float precision.
                let e = z < -87 ? 0 : expf(z)
                x[base &+ c] = e
                total += e
            }
            let scale = 1 / total
            for c in 0..<columns { x[base &+ c] *= scale }
        }
    }

    /// Index of the largest element of each row (lowest index on ties).
    @inlinable
    public static func argmaxRows(
        _ x: UnsafeBufferPointer<Float>, rows: Int, columns: Int, into out: UnsafeMutableBufferPointer<Int32>
    ) {
        for r in 0..<rows {
            let base = r &* columns
            var best = 0
            var bestValue = x[base]
            for c in 1..<max(columns, 1) where x[base &+ c] > bestValue {
                best = c
                bestValue = x[base &+ c]
            }
            out[r] = Int32(best)
        }
    }

    /// The `k` largest entries of each row, in descending order (lowest index first on ties),
    /// by partial selection with a k-element insertion buffer: O(C·k) worst case, no sort.
    /// `out` holds `rows·k` column indices.
    @inlinable
    public static func topKRows(
        _ x: UnsafeBufferPointer<Float>, rows: Int, columns: Int, k: Int,
        into out: UnsafeMutableBufferPointer<Int32>
    ) {
        precondition(k >= 1 && k <= columns, "top-k needs 1 ≤ k ≤ \(columns), got \(k)")
        var values = [Float](repeating: -.infinity, count: k)
        values.withUnsafeMutableBufferPointer { vals in
            for r in 0..<rows {
                let base = r &* columns
                let slots = out.baseAddress! + r &* k
                var filled = 0
                for c in 0..<columns {
                    let v = x[base &+ c]
                    if filled == k && v <= vals[k &- 1] { continue }
                    var j = filled == k ? k &- 1 : filled
                    if filled < k { filled &+= 1 }
                    while j > 0 && vals[j &- 1] < v {
                        vals[j] = vals[j &- 1]
                        slots[j] = slots[j &- 1]
                        j &-= 1
                    }
                    vals[j] = v
                    slots[j] = Int32(c)
                }
            }
        }
    }

    /// `out[i] = sign(x[i])·|x[i]|^power`; power 1 copies, power 2 needs no powf.
    @inlinable
    public static func signedPower(
        _ x: UnsafeBufferPointer<Float>, power: Float, into out: UnsafeMutableBufferPointer<Float>
    ) {
        if power == 1 {
            for i in 0..<x.count { out[i] = x[i] }
        } else if power == 2 {
            for i in 0..<x.count { out[i] = x[i] * abs(x[i]) }
        } else {
            for i in 0..<x.count { out[i] = x[i] < 0 ? -powf(-x[i], power) : powf(x[i], power) }
        }
    }

    /// ‖row‖_p for each row. p = 1, 2, 3 avoid powf and use four accumulators (vectorisable);
    /// other p use |x|^p through powf.
    @inlinable
    public static func normsRows(
        _ x: UnsafeBufferPointer<Float>, rows: Int, columns: Int, p: Float,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        for r in 0..<rows {
            let base = r &* columns
            var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
            var c = 0
            @inline(__always) func term(_ v: Float) -> Float {
                p == 2 ? v * v : (p == 3 ? v * v * abs(v) : (p == 1 ? abs(v) : powf(abs(v), p)))
            }
            while c &+ 4 <= columns {
                a0 += term(x[base &+ c]); a1 += term(x[base &+ c &+ 1])
                a2 += term(x[base &+ c &+ 2]); a3 += term(x[base &+ c &+ 3])
                c &+= 4
            }
            while c < columns { a0 += term(x[base &+ c]); c &+= 1 }
            let total = (a0 + a1) + (a2 + a3)
            out[r] = p == 2 ? total.squareRoot() : (p == 1 ? total : powf(total, 1 / p))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
