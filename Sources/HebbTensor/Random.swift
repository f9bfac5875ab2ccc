/// Seeded xoshiro256** generator (Blackman & Vigna 2018), seeded through SplitMix64.
///
/// Passed explicitly (`using: &rng`) wherever randomness is needed; there is no global RNG.
@frozen public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// Next 64 random bits (inlinable: the per-element loops of other modules call it).
    @inlinable public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    @inlinable @inline(__always) func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A derived generator for an independent stream (e.g. one per epoch or per block).
    public mutating func fork() -> SeededGenerator { SeededGenerator(seed: next()) }

    /// Uniform float in [0, 1) with 24 random bits.
    @inlinable public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Standard normal sample (Box–Muller, one value per call).
    public mutating func nextGaussian() -> Float {
        let u1 = Double(next() >> 11) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        let radius = (-2 * log(max(u1, 0x1p-60))).squareRoot()
        return Float(radius * cos(2 * Double.pi * u2))
    }

    /// Uniform integer in 0..<bound (Lemire's method without bias).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// A random permutation of 0..<count (Fisher–Yates), stable across platforms.
    public mutating func permutation(_ count: Int) -> [Int] {
        var indices = Array(0..<count)
        if count < 2 { return indices }
        for i in stride(from: count - 1, to: 0, by: -1) {
            indices.swapAt(i, nextIndex(below: i + 1))
        }
        return indices
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
