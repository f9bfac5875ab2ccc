import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

/// The vectorised logarithm and rectified power against libm's logf and powf (the plain references).
final class KernelsPowerTests: XCTestCase {
    /// Positive values over the whole normal range, logarithmically spaced, plus values near 1.
    private var positives: [Float] {
        var values: [Float] = []
        var v: Float = 1.2e-38
        while v < 1e37 { values.append(v); v *= 1.37 }
        return values + [0.5, 0.70710677, 0.7071068, 0.999999, 1, 1.000001, 1.5, 2, 3]
    }

    private func lanes(_ values: [Float], _ body: (SIMD8<Float>) -> SIMD8<Float>) -> [Float] {
        var padded = values
        while padded.count % 8 != 0 { padded.append(1) }
        var out: [Float] = []
        for start in stride(from: 0, to: padded.count, by: 8) {
            let result = body(SIMD8(padded[start..<(start + 8)]))
            out += (0..<8).map { result[$0] }
        }
        return Array(out.prefix(values.count))
    }

    func testLogarithm_matchesLogf_overTheNormalRange() {
        let values = positives
        let fast = lanes(values, Kernels.logarithm)
        for (v, l) in zip(values, fast) {
            XCTAssertEqual(l, logf(v), accuracy: max(3e-7 * abs(logf(v)), 2e-7), "ln \(v)")
        }
    }

    func testRectifiedPower_matchesPowf_forFractionalAndIntegerPowers() {
        let values = positives + [-3, -1e-3, 0, -0.0, Float.leastNonzeroMagnitude, -Float.infinity]  // odd count: scalar tail too
        for q: Float in [0.7, 1.4, 0.5, 3, 4.5, 1, 2, 0] {
            var x = values
            x.withUnsafeMutableBufferPointer { Kernels.rectifiedPower($0, power: q) }
            for (v, y) in zip(values, x) {
                let relu = max(v, 0)
                let expected: Float = q == 0 ? (v > 0 ? 1 : 0) : (relu < Float.leastNormalMagnitude ? 0 : powf(relu, q))
                if expected > 1e38 { continue }  // beyond e^88 the fast path saturates (documented)
                // exp(q·ln v) carries the rounding of q·ln v: relative error ≈ 2·10⁻⁷·(1 + |ln result|).
                let relative = 1e-6 + 2e-7 * abs(logf(max(expected, 1e-37)))
                XCTAssertEqual(y, expected, accuracy: max(relative * expected, 1e-37), "relu(\(v))^\(q)")
            }
        }
    }

    func testRectifiedPower_passesNaNAndInfinityThrough() {
        var x: [Float] = [.nan, .infinity, 2, 3, 4, 5, 6, 7, .nan]
        x.withUnsafeMutableBufferPointer { Kernels.rectifiedPower($0, power: 0.7) }
        XCTAssertTrue(x[0].isNaN)
        XCTAssertEqual(x[1], .infinity)
        XCTAssertTrue(x[8].isNaN, "scalar tail")
        XCTAssertEqual(x[2], powf(2, 0.7), accuracy: 1e-6)
    }
}
