import HebbTensor

/// Initial weights whose expected p-norm per unit equals a chosen radius (SoftHebb spec §1.5).
public enum WeightInitialisation: Sendable, Equatable, Codable {
    /// `σ·N(0, 1)` with σ = (R/(n·τ_p))^(1/p), R = radius^p, τ_p = (p−1)!!·(√(2/π) if p odd else 1).
    case normal(standardDeviation: Float)
    /// `range·U[0, 1)` with range = ((p+1)·R/n)^(1/p).
    case positiveUniform(range: Float)
    /// `U(−bound, bound)`; bound 1/√n is PyTorch's conv default that Lagani's HebbianMap2d uses.
    case symmetricUniform(bound: Float)

    /// The normal init for `radius`, Lebesgue power p and fan-in n (used after batch norm).
    public static func normal(radius: Float, lebesguePower p: Float, fanIn n: Int) -> Self {
        let bigR = Double(radius).power(Double(p))
        let pOdd = Int(p) % 2 == 1 && p == p.rounded()
        let tau = doubleFactorial(Double(p) - 1) * (pOdd ? (2 / Double.pi).squareRoot() : 1)
        return .normal(standardDeviation: Float((bigR / (Double(n) * tau)).power(1 / Double(p))))
    }

    /// The positive uniform init for `radius`, Lebesgue power p and fan-in n.
    public static func positiveUniform(radius: Float, lebesguePower p: Float, fanIn n: Int) -> Self {
        let bigR = Double(radius).power(Double(p))
        return .positiveUniform(range: Float(((Double(p) + 1) * bigR / Double(n)).power(1 / Double(p))))
    }

    /// The scale: σ for normal, range or bound for uniform.
    public var scale: Float {
        switch self {
        case .normal(let s): return s
        case .positiveUniform(let r): return r
        case .symmetricUniform(let b): return b
        }
    }

    /// Draws a weight matrix of `shape`.
    public func sample(_ shape: [Int], using rng: inout SeededGenerator) -> Tensor {
        switch self {
        case .normal(let s): return Tensor.normal(shape, standardDeviation: s, using: &rng)
        case .positiveUniform(let r): return Tensor.uniform(shape, scale: r, using: &rng)
        case .symmetricUniform(let b): return Tensor.uniform(shape, low: -b, high: b, using: &rng)
        }
    }

    /// SoftHebb's helper: x!! with x returned as is for x ≤ 2.
    static func doubleFactorial(_ x: Double) -> Double {
        x <= 2 ? x : x * doubleFactorial(x - 2)
    }
}

extension Double {
    fileprivate func power(_ exponent: Double) -> Double { pow(self, exponent) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
