import HebbTensor
import HebbTestSupport
import XCTest

/// Shared settings and inputs for the central-difference gradient checks in this target.
///
/// Step and tolerances: the forward passes run in Float32 and the scalar loss L = Σ g⊙y is summed
/// in Double. With step h = 1e-3 the quotient's rounding noise is about ε₃₂·Σ|gᵢ·yᵢ| / (2h), where
/// only the few outputs that move with the perturbed input count (one for element-wise maps, a
/// channel vector or a batch column for softmax / triangle / batch norm): ≈ 6e-8·10 / 2e-3 ≈ 3e-4
/// at worst for the unit-scale inputs used here. Truncation is h²/6·|L'''| ≈ 1.7e-7·|L'''|, at most
/// ~2e-4 for the steepest case (sigmoid with β = 10, |σ'''| ≤ β³/8). So 1e-3 absolute plus 2e-2
/// relative covers both with margin while still catching any wrong term (a missing factor, a
/// dropped mean or sign error moves gradients by ≥ 5e-2 in these set-ups).
enum GradientCheck {
    static let step: Float = 1e-3
    static let atol: Float = 1e-3
    static let rtol: Float = 2e-2

    /// Uniform values in ±[margin, 1): kept clear of the kink of relu-like maps by `margin` ≫ step.
    static func awayFromZero(_ shape: [Int], margin: Float = 0.1, seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let magnitude = margin + (1 - margin) * rng.nextUniform()
            values[i] = rng.nextUniform() < 0.5 ? -magnitude : magnitude
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// Uniform values in [low, high).
    static func uniform(_ shape: [Int], low: Float = -1, high: Float = 1, seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor.uniform(shape, low: low, high: high, using: &rng)
    }

    /// Asserts an analytic gradient against a numerical one with the tolerances above.
    static func assertMatches(
        _ analytic: Tensor, _ numeric: Tensor, _ message: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        assertClose(analytic, numeric, atol: atol, rtol: rtol, message, file: file, line: line)
        // Guard against a vacuous check: the gradient under test must not be all zeros.
        XCTAssertGreaterThan(numeric.maxAbsolute(), 10 * atol, "vacuous gradient check \(message)", file: file, line: line)
    }
}
