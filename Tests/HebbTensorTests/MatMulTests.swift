import HebbTensor
import HebbTestSupport
import XCTest

/// `Tensor.matmul` (OpenBLAS sgemm) against the triple-loop `Reference.matmul`.
final class MatMulTests: XCTestCase {
    /// (M, K, N) shapes, including single rows, single columns and K = 1.
    private let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 7, 1), (1, 5, 9), (9, 5, 1), (6, 1, 4), (3, 4, 5), (17, 33, 8), (64, 100, 31),
    ]

    func testMatmul_matchesReference_forAllTransposeCombinations() {
        var rng = SeededGenerator(seed: 1)
        for (m, k, n) in shapes {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let a = Tensor.normal(transposeA ? [k, m] : [m, k], using: &rng)
                    let b = Tensor.normal(transposeB ? [n, k] : [k, n], using: &rng)
                    let fast = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
                    let expected = Reference.matmul(
                        transposeA ? Reference.transpose(a) : a, transposeB ? Reference.transpose(b) : b)
                    assertClose(
                        fast, expected, atol: 1e-4, rtol: 1e-4,
                        "M \(m) K \(k) N \(n) Aᵀ \(transposeA) Bᵀ \(transposeB)")
                }
            }
        }
    }

    func testMatmul_isExact_forSmallIntegers() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(Tensor.matmul(a, b), Tensor(shape: [2, 2], scalars: [58, 64, 139, 154]))
        XCTAssertEqual(
            Tensor.matmul(a, a, transposeB: true), Tensor(shape: [2, 2], scalars: [14, 32, 32, 77]))
        XCTAssertEqual(
            Tensor.matmul(a, a, transposeA: true),
            Tensor(shape: [3, 3], scalars: [17, 22, 27, 22, 29, 36, 27, 36, 45]))
        XCTAssertEqual(
            Tensor.matmul(b, a, transposeA: true, transposeB: true),
            Tensor(shape: [2, 2], scalars: [58, 139, 64, 154]))
    }

    func testMatmul_givesZeros_whenInnerSizeIsZero() {
        let a = Tensor.zeros([3, 0])
        let b = Tensor.zeros([0, 4])
        XCTAssertEqual(Tensor.matmul(a, b), Tensor.zeros([3, 4]))
    }

    func testMatmul_givesEmptyResult_whenOuterSizeIsZero() {
        var rng = SeededGenerator(seed: 2)
        let b = Tensor.normal([5, 4], using: &rng)
        XCTAssertEqual(Tensor.matmul(Tensor.zeros([0, 5]), b).shape, [0, 4])
        XCTAssertEqual(Tensor.matmul(b, Tensor.zeros([4, 0])).shape, [5, 0])
    }

    func testMatmul_withIdentity_returnsTheOperand() {
        var rng = SeededGenerator(seed: 3)
        let a = Tensor.normal([7, 5], using: &rng)
        var identity = Tensor.zeros([5, 5])
        for i in 0..<5 { identity[i, i] = 1 }
        XCTAssertEqual(Tensor.matmul(a, identity), a)
        XCTAssertEqual(Tensor.matmul(identity, a, transposeB: true), Reference.transpose(a))
    }

    func testReferenceTranspose_isAnInvolution_andSwapsIndices() {
        var rng = SeededGenerator(seed: 4)
        let a = Tensor.normal([3, 8], using: &rng)
        let t = Reference.transpose(a)
        XCTAssertEqual(t.shape, [8, 3])
        for i in 0..<3 { for j in 0..<8 { XCTAssertEqual(t[j, i], a[i, j]) } }
        XCTAssertEqual(Reference.transpose(t), a)
    }

    func testMatmul_leavesOperandsUnchanged() {
        var rng = SeededGenerator(seed: 5)
        let a = Tensor.normal([4, 6], using: &rng)
        let b = Tensor.normal([6, 3], using: &rng)
        let (a0, b0) = (a, b)
        _ = Tensor.matmul(a, b)
        XCTAssertEqual(a, a0)
        XCTAssertEqual(b, b0)
    }
}
