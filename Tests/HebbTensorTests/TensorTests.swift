import HebbTensor
import HebbTestSupport
import XCTest

/// Value semantics, shape helpers, element-wise operations and reductions of `Tensor`.
final class TensorTests: XCTestCase {
    func testCopyOnWrite_mutatingACopy_leavesTheOriginal() {
        let original = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        var copy = original
        copy[1, 2] = 60
        copy.scalars[0] = -1
        XCTAssertEqual(original.scalars, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(copy.scalars, [-1, 2, 3, 4, 5, 60])
    }

    func testCopyOnWrite_inPlaceAdd_onACopy_leavesTheOriginal() {
        let original = Tensor(repeating: 1, shape: [3, 3])
        var copy = original
        copy.add(Tensor(repeating: 2, shape: [3, 3]), scaledBy: 0.5)
        XCTAssertEqual(original, Tensor(repeating: 1, shape: [3, 3]))
        XCTAssertEqual(copy, Tensor(repeating: 2, shape: [3, 3]))
    }

    func testCopyOnWrite_derivedTensors_doNotAliasTheSource() {
        var source = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let reshaped = source.reshaped([2, 3])
        let rows = source.rows(1..<3)
        let softmax = source.softmaxRows()
        source[0, 0] = 100
        source[2, 1] = 100
        XCTAssertEqual(reshaped.scalars, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(rows.scalars, [3, 4, 5, 6])
        XCTAssertNotEqual(softmax, source.softmaxRows())
    }

    func testShapeAccessors_forMatricesVectorsAndHigherRanks() {
        let m = Tensor.zeros([4, 5])
        XCTAssertEqual([m.rows, m.columns, m.rank, m.count], [4, 5, 2, 20])
        let v = Tensor.zeros([7])
        XCTAssertEqual([v.rows, v.columns, v.rank, v.count], [7, 7, 1, 7])
        let t = Tensor.zeros([2, 3, 4])
        XCTAssertEqual([t.rows, t.columns, t.rank, t.count], [2, 12, 3, 24])
        let scalar = Tensor(shape: [], scalars: [3])
        XCTAssertEqual([scalar.rows, scalar.columns, scalar.rank, scalar.count], [1, 1, 0, 1])
    }

    func testSubscript_isRowMajor() {
        var x = Tensor.zeros([2, 3])
        x[1, 0] = 5
        x[0, 2] = 7
        XCTAssertEqual(x.scalars, [0, 0, 7, 5, 0, 0])
        XCTAssertEqual(x[1, 0], 5)
    }

    func testRows_copiesARangeOfTheFirstAxis_keepingTrailingShape() {
        let x = Tensor(shape: [3, 2, 2], scalars: (0..<12).map(Float.init))
        let slice = x.rows(1..<3)
        XCTAssertEqual(slice.shape, [2, 2, 2])
        XCTAssertEqual(slice.scalars, (4..<12).map(Float.init))
        XCTAssertEqual(x.rows(0..<0).shape, [0, 2, 2])
    }

    func testElementwiseOperators_andMap() {
        let a = Tensor(shape: [2, 2], scalars: [1, -2, 3, -4])
        let b = Tensor(shape: [2, 2], scalars: [0.5, 0.5, 2, 2])
        XCTAssertEqual((a + b).scalars, [1.5, -1.5, 5, -2])
        XCTAssertEqual((a - b).scalars, [0.5, -2.5, 1, -6])
        XCTAssertEqual((a * b).scalars, [0.5, -1, 6, -8])
        XCTAssertEqual((3 * a).scalars, [3, -6, 9, -12])
        XCTAssertEqual(a.map { $0 * $0 }.scalars, [1, 4, 9, 16])
        XCTAssertEqual(a.zip(b) { Swift.max($0, $1) }.scalars, [1, 0.5, 3, 2])
    }

    func testSignedPower_matchesDefinition_forSeveralPowers() {
        var rng = SeededGenerator(seed: 30)
        let x = Tensor.normal([6, 7], standardDeviation: 2, using: &rng)
        for power: Float in [1, 2, 3, 0.5, 1.7] {
            let expected = x.map { ($0 < 0 ? -1 : 1) * powf(abs($0), power) }
            assertClose(x.signedPower(power), expected, atol: 1e-6, rtol: 1e-6, "power \(power)")
        }
        XCTAssertEqual(x.signedPower(1), x)
        XCTAssertEqual(Tensor(shape: [3], scalars: [-3, 0, 2]).signedPower(2).scalars, [-9, 0, 4])
    }

    func testSignedPower_preservesSigns() {
        let x = Tensor(shape: [4], scalars: [-2, -0.5, 0.5, 2])
        for power: Float in [2, 3, 2.5] {
            let y = x.signedPower(power)
            XCTAssertEqual(y.scalars.map { $0 < 0 }, [true, true, false, false], "power \(power)")
        }
    }

    func testReductions_sumMaxAndSumAlongAxis() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, -6])
        XCTAssertEqual(x.sum(), 9)
        XCTAssertEqual(x.max(), 5)
        XCTAssertEqual(x.sum(alongAxis: 0).scalars, [5, 7, -3])
        XCTAssertEqual(x.sum(alongAxis: 1).scalars, [6, 3])
        XCTAssertEqual(Tensor.zeros([0]).max(), -.infinity)
        XCTAssertEqual(Tensor.zeros([0]).maxAbsolute(), 0)
    }

    func testIsFinite_detectsNaNAndInfinity() {
        XCTAssertTrue(Tensor(shape: [2], scalars: [1, -1e30]).isFinite)
        XCTAssertFalse(Tensor(shape: [2], scalars: [1, .nan]).isFinite)
        XCTAssertFalse(Tensor(shape: [2], scalars: [-.infinity, 0]).isFinite)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
