extension Tensor {
    /// Matrix product `op(a)·op(b)` of two matrices (rank 2), through BLAS sgemm.
    public static func matmul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
    ) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kb, "matmul inner sizes differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        var out = [Float](repeating: 0, count: m * n)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    guard let pa = pa.baseAddress, let pb = pb.baseAddress,
                        let pc = pc.baseAddress
                    else { return }
                    BLAS.gemm(
                        transposeA ? .transposed : .none, transposeB ? .transposed : .none,
                        m: m, n: n, k: k, a: pa, lda: a.shape[1], b: pb, ldb: b.shape[1],
                        c: pc, ldc: n)
                }
            }
        }
        return Tensor(shape: [m, n], scalars: out)
    }
}
