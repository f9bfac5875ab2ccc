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

    /// SoftHebb's post-synaptic signal in one sweep per row: `y = softmax(t·u)`, and with
    /// `antiHebbian` every entry but the arg-max of u negated (`softkrotov`). u and y are (R, C).
    @inlinable
    public static func softWinnerTakeAllRows(
        _ u: UnsafeBufferPointer<Float>, rows: Int, columns: Int, inverseTemperature t: Float, antiHebbian: Bool,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        guard columns > 0 else { return }
        for r in 0..<rows {
            let base = r &* columns
            var best = 0
            var bestValue = u[base]
            var lowest = bestValue
            for c in 1..<columns {
                let v = u[base &+ c]
                if v > bestValue { best = c; bestValue = v }
                lowest = min(lowest, v)
            }
            let maximum = t >= 0 ? t * bestValue : t * lowest
            var total: Float = 0
            var c = 0
            var sums = SIMD8<Float>()
            while c &+ 8 <= columns {
                var z = SIMD8<Float>()
                for l in 0..<8 { z[l] = t * u[base &+ c &+ l] - maximum }
                let e = exponential(z)
                for l in 0..<8 { y[base &+ c &+ l] = e[l] }
                sums += e
                c &+= 8
            }
            total = sums.sum()
            while c < columns {
                let z = t * u[base &+ c] - maximum
                let e = z < -87 ? 0 : expf(z)
                y[base &+ c] = e
                total += e
                c &+= 1
            }
            let scale = antiHebbian ? -1 / total : 1 / total
            for c in 0..<columns { y[base &+ c] *= scale }
            if antiHebbian { y[base &+ best] = -y[base &+ best] }
        }
    }

    /// e^x for eight lanes at once (Cephes' single-precision polynomial after range reduction
    /// x = n·ln 2 + r; relative error below 2·10⁻⁷). Lanes below −87 give 0, as `softmaxRows`
    /// does; lanes above 88 saturate to e^88.
    @inlinable @inline(__always)
    public static func exponential(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Masked selects, not `clamped`: its generic pointwiseMin/Max were not inlined (a third
        // of the function's time in a softkrotov conv epoch).
        let low = SIMD8<Float>(repeating: -87), high = SIMD8<Float>(repeating: 88)
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        // Round to nearest even by adding 1.5·2²³ (the sum's low mantissa bits are then the integer
        // n); `.rounded` and `SIMD8<Int32>(n)` compile to scalar generic code here.
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * r * r + r + 1
        let exponentBits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        let scale = unsafeBitCast(exponentBits, to: SIMD8<Float>.self)
        return (p * scale).replacing(with: 0, where: x .< -87)
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

    /// `out[i] = sign(x[i])·|x[i]|^power`; power 1 copies, powers 2 and 3 need no powf.
    @inlinable
    public static func signedPower(
        _ x: UnsafeBufferPointer<Float>, power: Float, into out: UnsafeMutableBufferPointer<Float>
    ) {
        if power == 1 {
            for i in 0..<x.count { out[i] = x[i] }
        } else if power == 2 {
            for i in 0..<x.count { out[i] = x[i] * abs(x[i]) }
        } else if power == 3 {
            for i in 0..<x.count { out[i] = x[i] * x[i] * x[i] }
        } else {
            for i in 0..<x.count { out[i] = x[i] < 0 ? -powf(-x[i], power) : powf(x[i], power) }
        }
    }

    /// ‖row‖_p for each row. p = 1, 2, 3, 4 avoid powf and use four accumulators (vectorisable);
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
                p == 2 ? v * v : (p == 3 ? v * v * abs(v) : (p == 1 ? abs(v) : (p == 4 ? (v * v) * (v * v) : powf(abs(v), p))))
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

    /// Subtracts every row's mean from the row, in place: patches (R, C) → zero-mean patches
    /// (hebb's `center1`); the sum runs in column order.
    @inlinable
    public static func centreRows(_ v: UnsafeMutableBufferPointer<Float>, rows: Int, columns: Int) {
        guard columns > 0 else { return }
        for r in 0..<rows {
            let base = r &* columns
            var sum: Float = 0
            for j in 0..<columns { sum += v[base &+ j] }
            let mean = sum / Float(columns)
            for j in 0..<columns { v[base &+ j] -= mean }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
