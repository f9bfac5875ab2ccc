import HebbTensor
import HebbTestSupport
import XCTest

/// Max and average pooling (forward, trace, backward) against the direct oracle, hand values
/// and central finite differences.
final class PoolingTests: XCTestCase {
    /// (kernel, stride, padding, height, width): SoftHebb's pools, odd and non-square cases, and
    /// output widths of 10 and 17 (the max kernel's 8-column groups plus leftover columns).
    private let windows: [(Int, Int, Int, Int, Int)] = [
        (4, 2, 1, 8, 8), (2, 2, 0, 8, 8), (2, 2, 0, 7, 7), (3, 1, 1, 5, 6), (3, 2, 0, 7, 6),
        (4, 2, 2, 6, 5), (1, 1, 0, 3, 4), (4, 2, 1, 6, 20), (3, 1, 1, 4, 17),
    ]

    private func geometry(_ kind: PoolKind, _ w: (Int, Int, Int, Int, Int), channels: Int = 3) -> PoolGeometry {
        PoolGeometry(
            kind: kind, kernelSize: w.0, stride: w.1, padding: w.2, channels: channels,
            inputHeight: w.3, inputWidth: w.4)
    }

    /// A sample batch whose values are distinct and at least 0.05 apart (no ties in any window).
    private func distinctInput(batch: Int, geometry g: PoolGeometry, using rng: inout SeededGenerator) -> Tensor {
        let count = batch * g.channels * g.inputHeight * g.inputWidth
        let order = rng.permutation(count)
        return Tensor(shape: [batch, count / batch], scalars: order.map { 0.05 * Float($0 - count / 2) })
    }

    // MARK: forward

    func testPooled_matchesReference_forMaxAndAverage() {
        var rng = SeededGenerator(seed: 50)
        for kind in [PoolKind.max, .average] {
            for w in windows {
                let g = geometry(kind, w)
                XCTAssertNil(g.problem, "\(g)")
                let x = Tensor.normal([2, g.channels * w.3 * w.4], using: &rng)
                let (y, trace) = x.pooled(g)
                XCTAssertEqual(y.shape, [2, g.channels * g.outputHeight * g.outputWidth])
                assertClose(y, Reference.pool2D(x, geometry: g), atol: 1e-6, rtol: 1e-5, "\(g)")
                XCTAssertEqual(trace.maxIndices.count, kind == .max ? y.count : 0)
            }
        }
    }

    func testMaxPool_padsWithMinusInfinity_neverOutputsZeroForNegativeInput() {
        var rng = SeededGenerator(seed: 51)
        let g = geometry(.max, (4, 2, 1, 8, 8))
        let x = Tensor.uniform([2, 3 * 64], low: -5, high: -1, using: &rng)
        let (y, trace) = x.pooled(g)
        XCTAssertTrue(y.scalars.allSatisfy { $0 < 0 }, "a padded zero won a window")
        XCTAssertEqual(y, Reference.pool2D(x, geometry: g))
        // Every recorded index is an image pixel of the right sample whose value is the output.
        for i in 0..<y.count {
            let index = Int(trace.maxIndices[i])
            XCTAssertTrue((0..<(3 * 64)).contains(index))
            XCTAssertEqual(x.scalars[(i / y.columns) * x.columns + index], y.scalars[i])
        }
    }

    func testAveragePool_countsPaddingInDivisor() {
        // Ones, k4 s2 p1 on 8×8: a corner window holds 3×3 pixels, an edge 3×4, the interior 4×4.
        let g = PoolGeometry(kind: .average, kernelSize: 4, stride: 2, padding: 1, channels: 1, inputHeight: 8, inputWidth: 8)
        let (y, _) = Tensor(repeating: 1, shape: [1, 64]).pooled(g)
        XCTAssertEqual(y.shape, [1, 16])
        XCTAssertEqual(y[0, 0], 9 / 16)
        XCTAssertEqual(y[0, 15], 9 / 16)
        XCTAssertEqual(y[0, 1], 12 / 16)
        XCTAssertEqual(y[0, 5], 1)
    }

    func testMaxPool_tiesPickFirstMaximumInScanOrder() {
        // A constant image: each window's first in-image pixel (row-major) is the recorded max.
        let g = PoolGeometry(kind: .max, kernelSize: 4, stride: 2, padding: 1, channels: 2, inputHeight: 6, inputWidth: 6)
        let (y, trace) = Tensor(repeating: 7, shape: [1, 72]).pooled(g)
        XCTAssertEqual(y.scalars, [Float](repeating: 7, count: 18))
        // Output (oy, ox) window starts at row/column max(2·o − 1, 0): 0, 1, 3.
        let starts = [0, 1, 3]
        let expected = (0..<2).flatMap { c in
            starts.flatMap { y in starts.map { x in Int32(c * 36 + y * 6 + x) } }
        }
        XCTAssertEqual(trace.maxIndices, expected)
        var dy = Tensor.zeros([1, 18])
        dy[0, 0] = 2
        XCTAssertEqual(Tensor.poolBackward(dy, geometry: g, trace: trace)[0, 0], 2)
    }

    func testMaxPool_withManyTies_routesGradientLikeReference() {
        // Values in {0, 1, 2} (like post-ReLU maps full of zeros): ties at different rows and
        // columns of a window must resolve to the first in scan order (ky, kx).
        var rng = SeededGenerator(seed: 54)
        for w in windows {
            let g = geometry(.max, w)
            let x = Tensor(
                shape: [2, g.channels * w.3 * w.4],
                scalars: (0..<(2 * g.channels * w.3 * w.4)).map { _ in Float(rng.nextIndex(below: 3)) })
            let (y, trace) = x.pooled(g)
            XCTAssertEqual(y, Reference.pool2D(x, geometry: g), "\(g)")
            let dy = Tensor.normal(y.shape, using: &rng)
            assertClose(
                Tensor.poolBackward(dy, geometry: g, trace: trace), Reference.poolBackward2D(dy, x: x, geometry: g),
                atol: 1e-6, rtol: 1e-5, "\(g)")
        }
    }

    func testMaxPool_propagatesNaN_andPointsAtIt() {
        // 10×10, k3 s1 p1: one NaN inside the 8-column groups at (4, 4), one in the leftover
        // columns at (0, 9). Exactly the windows holding one of them are NaN.
        var x = Tensor(shape: [1, 100], scalars: (0..<100).map { Float($0 % 7) })
        x[0, 44] = .nan
        x[0, 9] = .nan
        let g = PoolGeometry(kind: .max, kernelSize: 3, stride: 1, padding: 1, channels: 1, inputHeight: 10, inputWidth: 10)
        let (y, trace) = x.pooled(g)
        for oy in 0..<10 {
            for ox in 0..<10 {
                let (nearCenter, nearCorner) = (abs(oy - 4) <= 1 && abs(ox - 4) <= 1, oy <= 1 && ox >= 8)
                let i = oy * 10 + ox
                XCTAssertEqual(y.scalars[i].isNaN, nearCenter || nearCorner, "output (\(oy), \(ox))")
                if nearCenter { XCTAssertEqual(trace.maxIndices[i], 44) }
                if nearCorner { XCTAssertEqual(trace.maxIndices[i], 9) }
            }
        }
    }

    // MARK: backward

    func testPoolBackward_matchesReference() {
        var rng = SeededGenerator(seed: 52)
        for kind in [PoolKind.max, .average] {
            for w in windows {
                let g = geometry(kind, w)
                let x = distinctInput(batch: 2, geometry: g, using: &rng)
                let (y, trace) = x.pooled(g)
                let dy = Tensor.normal(y.shape, using: &rng)
                assertClose(
                    Tensor.poolBackward(dy, geometry: g, trace: trace),
                    Reference.poolBackward2D(dy, x: x, geometry: g), atol: 1e-6, rtol: 1e-5, "\(g)")
            }
        }
    }

    func testPoolBackward_matchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 53)
        for kind in [PoolKind.max, .average] {
            for w in windows.prefix(4) {
                let g = geometry(kind, w, channels: 2)
                let x = distinctInput(batch: 2, geometry: g, using: &rng)
                let (y, trace) = x.pooled(g)
                let dy = Tensor.normal(y.shape, using: &rng)
                // Values are 0.05 apart, so a step of 0.01 never changes which pixel wins.
                let numerical = numericalGradient(at: x, step: 0.01) { weightedSum($0.pooled(g).output, dy) }
                assertClose(
                    Tensor.poolBackward(dy, geometry: g, trace: trace), numerical, atol: 1e-3, rtol: 1e-3,
                    "\(g)")
            }
        }
    }

    // MARK: geometry

    func testOutputSizes_matchSoftHebbNetworks() {
        func size(_ kind: PoolKind, _ k: Int, _ s: Int, _ p: Int, _ n: Int) -> Int {
            let g = PoolGeometry(kind: kind, kernelSize: k, stride: s, padding: p, channels: 96, inputHeight: n, inputWidth: n)
            XCTAssertNil(g.problem)
            XCTAssertEqual(g.outputWidth, g.outputHeight)
            return g.outputHeight
        }
        XCTAssertEqual(size(.max, 4, 2, 1, 32), 16)
        XCTAssertEqual(size(.max, 4, 2, 1, 16), 8)
        XCTAssertEqual(size(.average, 2, 2, 0, 8), 4)
        XCTAssertEqual(size(.average, 4, 2, 1, 32), 16)
        XCTAssertEqual(size(.max, 4, 2, 1, 28), 14)
        XCTAssertEqual(size(.max, 4, 2, 1, 14), 7)
        XCTAssertEqual(size(.average, 2, 2, 0, 7), 3)
    }

    func testProblem_namesEachInvalidGeometry() {
        let base = PoolGeometry(kind: .max, kernelSize: 4, stride: 2, padding: 2, channels: 3, inputHeight: 5, inputWidth: 5)
        XCTAssertNil(base.problem)
        var cases: [(PoolGeometry, String)] = []
        var g = base
        g.padding = 3
        cases.append((g, "at most half"))
        g = base
        g.kernelSize = 3
        g.padding = 2
        cases.append((g, "at most half"))
        g = base
        g.kernelSize = 6
        g.padding = 0
        cases.append((g, "empty"))
        g = base
        g.stride = 0
        cases.append((g, "stride"))
        g = base
        g.channels = 0
        cases.append((g, "channels"))
        g = base
        g.padding = -1
        cases.append((g, "non-negative"))
        for (geometry, fragment) in cases {
            let problem = geometry.problem
            XCTAssertTrue(problem?.contains(fragment) ?? false, "\(problem ?? "nil") lacks '\(fragment)'")
        }
    }
}
