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

    /// Number of threads OpenBLAS uses for one call.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the OpenBLAS thread count (process-wide in OpenBLAS; the CLI sets it once at start).
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS build description (core name, threading), for logs and benchmarks.
    public static var configuration: String { String(cString: openblas_get_config()) }
}
