import HebbTensor
import HebbTestSupport
import XCTest

/// `argmaxRows` and the partial-selection `topKRows` against the full stable sort in `Reference`.
final class TopKTests: XCTestCase {
    private let shapes: [(Int, Int)] = [(1, 1), (1, 9), (9, 1), (5, 7), (32, 100), (4, 257)]

    func testArgmaxRows_matchesReferenceTop1_onContinuousData() {
        var rng = SeededGenerator(seed: 20)
        for (r, c) in shapes {
            let x = Tensor.normal([r, c], using: &rng)
            XCTAssertEqual(x.argmaxRows(), Reference.topKRows(x, k: 1).map { $0[0] }, "\(r)×\(c)")
        }
    }

    func testArgmaxRows_picksLowestIndex_onTies() {
        var rng = SeededGenerator(seed: 21)
        for (r, c) in shapes {
            let x = tied([r, c], using: &rng)
            XCTAssertEqual(x.argmaxRows(), Reference.topKRows(x, k: 1).map { $0[0] }, "\(r)×\(c)")
        }
        let x = Tensor(shape: [3, 4], scalars: [1, 3, 3, 0, 5, 5, 5, 5, -2, -1, -1, -3])
        XCTAssertEqual(x.argmaxRows(), [1, 0, 1])
    }

    func testArgmaxRows_handlesNegativeRowsAndInfinities() {
        let x = Tensor(shape: [3, 3], scalars: [-5, -2, -9, -.infinity, -.infinity, -1, .infinity, 1, .infinity])
        XCTAssertEqual(x.argmaxRows(), [1, 2, 0])
    }

    func testTopKRows_matchesReference_forK1K7AndAllColumns() {
        var rng = SeededGenerator(seed: 22)
        for (r, c) in shapes {
            let x = Tensor.normal([r, c], using: &rng)
            for k in Set([1, min(7, c), c]).sorted() {
                XCTAssertEqual(x.topKRows(k), Reference.topKRows(x, k: k), "\(r)×\(c) k \(k)")
            }
        }
    }

    func testTopKRows_ordersTiesByLowestIndexFirst() {
        var rng = SeededGenerator(seed: 23)
        for (r, c) in shapes {
            let x = tied([r, c], using: &rng)
            for k in Set([1, 2, min(7, c), c]).filter({ $0 <= c }).sorted() {
                XCTAssertEqual(x.topKRows(k), Reference.topKRows(x, k: k), "\(r)×\(c) k \(k)")
            }
        }
    }

    func testTopKRows_knownValues_withTies() {
        let x = Tensor(shape: [2, 6], scalars: [2, 7, 7, 1, 7, 2, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(x.topKRows(4), [[1, 2, 4, 0], [0, 1, 2, 3]])
        XCTAssertEqual(x.topKRows(6), [[1, 2, 4, 0, 5, 3], [0, 1, 2, 3, 4, 5]])
    }

    func testTopKRows_isDescending_andAFullRankingIsAPermutation() {
        var rng = SeededGenerator(seed: 24)
        let x = Tensor.normal([10, 13], using: &rng)
        for (row, ranking) in x.topKRows(13).enumerated() {
            XCTAssertEqual(ranking.map(Int.init).sorted(), Array(0..<13))
            let values = ranking.map { x[row, Int($0)] }
            XCTAssertEqual(values, values.sorted(by: >), "row \(row)")
        }
    }

    func testTopKRows_handlesNegativeInfinityEntries() {
        let x = Tensor(shape: [1, 5], scalars: [-.infinity, -1, -.infinity, -3, -.infinity])
        for k in 1...5 {
            XCTAssertEqual(x.topKRows(k), Reference.topKRows(x, k: k), "k \(k)")
        }
    }

    func testTopKKernel_reusesItsBufferAcrossRows() {
        // A large row followed by a small one: stale values from row 0 must not leak into row 1.
        let x = Tensor(shape: [2, 4], scalars: [100, 90, 80, 70, 1, 4, 3, 2])
        var out = [Int32](repeating: -1, count: 6)
        x.scalars.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { Kernels.topKRows(xs, rows: 2, columns: 4, k: 3, into: $0) }
        }
        XCTAssertEqual(out, [0, 1, 2, 1, 2, 3])
    }

    // MARK: helpers

    /// Small integers, so most rows contain ties (including ties for the maximum).
    private func tied(_ shape: [Int], using rng: inout SeededGenerator) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { _ in Float(rng.nextIndex(below: 4)) })
    }
}
