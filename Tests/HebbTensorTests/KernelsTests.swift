import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

/// Fast row kernels (softmax, norms, max-abs) against their `Reference` counterparts.
final class KernelsTests: XCTestCase {
    /// (rows, columns), including a single row, a single column and a single element.
    private let shapes: [(Int, Int)] = [(1, 1), (1, 9), (9, 1), (5, 7), (32, 100), (3, 257)]

    // MARK: softmax

    func testSoftmaxRows_matchesReference_forSeveralInverseTemperatures() {
        var rng = SeededGenerator(seed: 10)
        for (r, c) in shapes {
            let x = Tensor.normal([r, c], standardDeviation: 2, using: &rng)
            for t: Float in [0.5, 1, 12] {
                assertClose(
                    x.softmaxRows(inverseTemperature: t), Reference.softmaxRows(x, inverseTemperature: t),
                    atol: 1e-6, rtol: 1e-5, "\(r)×\(c) t \(t)")
            }
        }
    }

    func testExponential_matchesExpf_acrossTheFloatRange() {
        var x: Float = -86.9
        while x < 88 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.013 })
            let e = Kernels.exponential(lanes)
            for l in 0..<8 {
                let expected = expf(lanes[l])
                XCTAssertEqual(e[l], expected, accuracy: 3e-7 * expected, "e^\(lanes[l])")
            }
            x += 0.37
        }
        let tiny = Kernels.exponential(SIMD8<Float>(repeating: -200))
        XCTAssertEqual(tiny, SIMD8<Float>(repeating: 0), "below −87 is 0, as softmaxRows treats it")
        XCTAssertEqual(Kernels.exponential(SIMD8<Float>(repeating: 0)), SIMD8<Float>(repeating: 1))
    }

    func testSoftWinnerTakeAllRows_matchesSoftmaxWithSignFlip() {
        var rng = SeededGenerator(seed: 12)
        for (r, c) in shapes {
            let u = Tensor.normal([r, c], standardDeviation: 3, using: &rng)
            for t: Float in [-0.5, 1, 12] {
                let soft = Reference.softmaxRows(u, inverseTemperature: t)
                for antiHebbian in [false, true] {
                    var expected = soft
                    if antiHebbian {
                        for row in 0..<r {
                            let winner = (0..<c).max { u[row, $0] < u[row, $1] || (u[row, $0] == u[row, $1] && $0 > $1) }!
                            for col in 0..<c where col != winner { expected[row, col] = -expected[row, col] }
                        }
                    }
                    var y = [Float](repeating: .nan, count: r * c)
                    u.scalars.withUnsafeBufferPointer { pu in
                        y.withUnsafeMutableBufferPointer {
                            Kernels.softWinnerTakeAllRows(pu, rows: r, columns: c, inverseTemperature: t, antiHebbian: antiHebbian, into: $0)
                        }
                    }
                    assertClose(Tensor(shape: [r, c], scalars: y), expected, atol: 1e-6, rtol: 1e-5, "\(r)×\(c) t \(t) anti \(antiHebbian)")
                }
            }
        }
    }

    func testSoftmaxRows_isFiniteAndNormalised_forLargeInputs() {
        var rng = SeededGenerator(seed: 11)
        for (r, c) in shapes {
            // |t·x| up to ~1200: exp would overflow without the max shift.
            let x = Tensor.uniform([r, c], low: -100, high: 100, using: &rng)
            for t: Float in [1, 12] {
                let y = x.softmaxRows(inverseTemperature: t)
                XCTAssertTrue(y.isFinite, "\(r)×\(c) t \(t)")
                // t·x is rounded to float (ulp(1200) ≈ 1.2e-4), so the relative error of y grows with |t·x|.
                assertClose(y, Reference.softmaxRows(x, inverseTemperature: t), atol: 1e-6, rtol: 2e-4)
                for row in 0..<r {
                    let total = (0..<c).reduce(Float(0)) { $0 + y[row, $1] }
                    XCTAssertEqual(total, 1, accuracy: 1e-5, "\(r)×\(c) t \(t) row \(row)")
                }
            }
        }
    }

    func testSoftmaxRows_isUniform_forConstantRowsEvenWhenHuge() {
        let x = Tensor(shape: [3, 4], scalars: [100, 100, 100, 100, -1e6, -1e6, -1e6, -1e6, 0, 0, 0, 0])
        XCTAssertEqual(x.softmaxRows(inverseTemperature: 12), Tensor(repeating: 0.25, shape: [3, 4]))
    }

    func testSoftmaxRows_givesOneHot_forDominantEntry() {
        let x = Tensor(shape: [2, 3], scalars: [100, 0, -100, 1, 2, 103])
        let y = x.softmaxRows(inverseTemperature: 12)
        XCTAssertEqual(y.scalars, [1, 0, 0, 0, 0, 1])
    }

    func testSoftmaxKernel_inPlace_matchesTensorMethod() {
        var rng = SeededGenerator(seed: 12)
        let x = Tensor.normal([4, 6], using: &rng)
        var buffer = x.scalars
        buffer.withUnsafeMutableBufferPointer {
            Kernels.softmaxRows($0, rows: 4, columns: 6, inverseTemperature: 0.5)
        }
        XCTAssertEqual(buffer, x.softmaxRows(inverseTemperature: 0.5).scalars)
    }

    // MARK: norms

    func testNormsRows_matchReference_forP1P2P3P4() {
        var rng = SeededGenerator(seed: 13)
        for (r, c) in shapes {
            let x = Tensor.normal([r, c], using: &rng)
            for p: Float in [1, 2, 3, 4, 4.5] {
                let fast = x.normsRows(p: p)
                XCTAssertEqual(fast.shape, [r], "\(r)×\(c) p \(p)")
                assertClose(fast.scalars, Reference.normsRows(x, p: p), atol: 1e-6, rtol: 1e-5, "\(r)×\(c) p \(p)")
            }
        }
    }

    func testNormsRows_knownValues() {
        let x = Tensor(shape: [3, 2], scalars: [3, -4, 0, 0, -1, 1])
        XCTAssertEqual(x.normsRows(p: 1).scalars, [7, 0, 2])
        XCTAssertEqual(x.normsRows(p: 2).scalars, [5, 0, Float(2).squareRoot()])
        assertClose(x.normsRows(p: 3).scalars, [powf(91, 1 / 3), 0, powf(2, 1 / 3)], atol: 0, rtol: 1e-6)
    }

    func testNormsRows_treatsHigherRanksAsRowsOfTheRest() {
        var rng = SeededGenerator(seed: 14)
        let x = Tensor.normal([4, 3, 5], using: &rng)
        assertClose(x.normsRows(p: 2), x.reshaped([4, 15]).normsRows(p: 2), atol: 0, rtol: 0)
    }

    // MARK: max-abs

    func testMaxAbsolute_matchesPlainMaximum_forEveryLengthModuloFour() {
        var rng = SeededGenerator(seed: 15)
        for n in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 1000, 1003] {
            let x = Tensor.normal([n], using: &rng)
            let expected = x.scalars.map { abs($0) }.max() ?? 0
            XCTAssertEqual(x.maxAbsolute(), expected, "n \(n)")
            let kernel = x.scalars.withUnsafeBufferPointer { Kernels.maxAbsolute($0) }
            XCTAssertEqual(kernel, expected, "n \(n)")
        }
    }

    func testMaxAbsolute_findsNegativeExtreme_inTheTail() {
        var x = Tensor(repeating: 0.5, shape: [11])
        x.scalars[10] = -7  // in the scalar tail after the 4-wide loop
        XCTAssertEqual(x.maxAbsolute(), 7)
        x.scalars[10] = 0
        x.scalars[2] = -3  // in lane 2 of the unrolled loop
        XCTAssertEqual(x.maxAbsolute(), 3)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
