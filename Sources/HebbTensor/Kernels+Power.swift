// Vectorised powers for activations: relu(x)^q as exp(q·ln x), eight lanes at a time, instead of
// one libm powf call per element (powf was 8 % of a 4SoftHebbCnnCIFAR block-1 epoch, through the
// triangle activations of the frozen blocks below it).

extension Kernels {
    /// ln x for eight lanes (Cephes' single-precision logf: x = m·2^e with m in [√½, √2), then a
    /// degree-9 polynomial in m − 1; relative error below 2·10⁻⁷ for normal x). Lanes must hold
    /// positive normal numbers; callers mask the others.
    @inlinable @inline(__always)
    public static func logarithm(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
        // frexp: mantissa in [0.5, 1), exponent e with x = mantissa·2^e.
        // Integer to float by the 1.5·2²³ trick (generic SIMD conversions compile to scalar code).
        let exponentBits = ((bits &>> 23) & 0xFF) &- 126 &+ 0x4B40_0000
        var exponent = unsafeBitCast(exponentBits, to: SIMD8<Float>.self) - 12_582_912
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: SIMD8<Float>.self)
        let small = m .< 0.707_106_78
        exponent = exponent.replacing(with: exponent - 1, where: small)
        m = m.replacing(with: m + m, where: small) - 1
        let z = m * m
        var y = SIMD8<Float>(repeating: 7.037_683_6e-2)
        y = y * m - 1.151_461_0e-1
        y = y * m + 1.167_699_9e-1
        y = y * m - 1.242_014_1e-1
        y = y * m + 1.424_932_3e-1
        y = y * m - 1.666_805_8e-1
        y = y * m + 2.000_071_5e-1
        y = y * m - 2.499_999_4e-1
        y = y * m + 3.333_333_1e-1
        y = y * m * z
        y += exponent * -2.121_944_4e-4
        y += z * -0.5
        return m + y + exponent * 0.693_359_375
    }

    /// `x[i] ← relu(x[i])^q` in place; relu(x)^0 is 1 for x > 0 and 0 otherwise. Powers 1 and 2
    /// are exact; other powers go through `exponential(q·logarithm(x))`: relative error against
    /// powf about 2·10⁻⁷·(1 + |ln result|), i.e. below 10⁻⁶ for results between e⁻⁴ and e⁴;
    /// results beyond e^88 saturate there.
    /// Inputs below the smallest normal float give 0 for q > 0; NaN and +∞ pass through.
    @inlinable
    public static func rectifiedPower(_ x: UnsafeMutableBufferPointer<Float>, power q: Float) {
        let count = x.count
        if q == 1 {
            for i in 0..<count { x[i] = max(x[i], 0) }
            return
        }
        if q == 2 {
            for i in 0..<count { let v = max(x[i], 0); x[i] = v * v }
            return
        }
        if q == 0 {
            for i in 0..<count { x[i] = x[i] > 0 ? 1 : 0 }
            return
        }
        let tiny = SIMD8<Float>(repeating: Float.leastNormalMagnitude)
        var i = 0
        if let base = x.baseAddress {
            let raw = UnsafeMutableRawPointer(base)
            while i &+ 8 <= count {
                let offset = i &* MemoryLayout<Float>.stride
                let v = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                let zero = v .< tiny
                let nonFinite = .!(v .<= Float.greatestFiniteMagnitude)  // NaN and +∞ pass through
                let safe = v.replacing(with: 1, where: zero .| nonFinite)
                let result = exponential(q * logarithm(safe)).replacing(with: 0, where: zero).replacing(with: v, where: nonFinite)
                raw.storeBytes(of: result, toByteOffset: offset, as: SIMD8<Float>.self)
                i &+= 8
            }
        }
        while i < count {
            x[i] = x[i] < Float.leastNormalMagnitude ? 0 : powf(x[i], q)
            i &+= 1
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
