import COpenBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none
    case transposed

    fileprivate var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Swift-typed wrappers over the few OpenBLAS calls we use. The only file that imports COpenBLAS.
public enum BLAS {
    /// `C ← α·op(A)·op(B) + β·C`, row-major; op(A) is (M, K), op(B) is (K, N), C is (M, N).
    public static func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        cblas_sgemm(
            CblasRowMajor, transposeA.cblas, transposeB.cblas, Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Eigen-decomposition of the symmetric n×n matrix in `matrix` (LAPACK `ssyevd`): returns the
    /// eigenvalues ascending and overwrites `matrix` with the eigenvectors, vector i in row i.
    /// Nil when LAPACK reports a failure (no convergence or a bad argument).
    public static func symmetricEigen(_ matrix: inout [Float], n: Int) -> [Float]? {
        precondition(matrix.count == n * n, "symmetricEigen: \(matrix.count) values for \(n)×\(n)")
        guard n > 0 else { return [] }
        var values = [Float](repeating: 0, count: n)
        var (size, lda, info) = (Int32(n), Int32(n), Int32(0))
        var (workSize, iworkSize): (Float, Int32) = (0, 0)
        var query: Int32 = -1
        let (vectors, upper): (CChar, CChar) = (CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")))
        var jobz = vectors, uplo = upper
        // Workspace query, then the decomposition. Column-major vectors of a symmetric matrix read
        // row-major are the rows.
        ssyevd_(&jobz, &uplo, &size, &matrix, &lda, &values, &workSize, &query, &iworkSize, &query, &info, 1, 1)
        guard info == 0 else { return nil }
        // The queried size comes back as a Float, which rounds above 2²⁴: take LAPACK's documented
        // minimum for jobz = V (1 + 6n + 2n², 3 + 5n) when it is larger.
        var work = [Float](repeating: 0, count: max(Int(workSize), 1 + 6 * n + 2 * n * n))
        var iwork = [Int32](repeating: 0, count: max(Int(iworkSize), 3 + 5 * n))
        var (lwork, liwork) = (Int32(work.count), Int32(iwork.count))
        ssyevd_(&jobz, &uplo, &size, &matrix, &lda, &values, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        return info == 0 ? values : nil
    }

    /// Number of threads OpenBLAS uses for one call.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the OpenBLAS thread count (process-wide in OpenBLAS; the CLI sets it once at start).
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS build description (core name, threading), for logs and benchmarks.
    public static var configuration: String { String(cString: openblas_get_config()) }
}
