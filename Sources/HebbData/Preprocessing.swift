import HebbText
import HebbTensor

// Shapes: n training rows, D = C·H·W values per image, B batch rows.

/// ZCA whitening (spec §2.3, peers §3): batch values x (after the pixel normalisation) become
/// `(x − μ)·Z` with `Z = U·diag(1/√(s + ε))·Uᵀ` from the eigen-decomposition `C = U·diag(s)·Uᵀ`
/// of the covariance `C = (X − μ)ᵀ(X − μ)/n` of the training rows.
///
/// Applied per batch (one (B, D)×(D, D) GEMM), so the images stay bytes in memory.
public struct Whitening: Sendable, Equatable {
    /// SoftHebb's and Lagani's ε.
    public static let defaultEpsilon: Float = 0.1
    /// Per-value mean μ of the training rows (D).
    public let mean: [Float]
    /// The symmetric whitening matrix Z (D, D).
    public let matrix: Tensor

    /// Wraps a mean and matrix (tests, and matrices computed elsewhere).
    public init(mean: [Float], matrix: Tensor) {
        precondition(matrix.shape == [mean.count, mean.count], "whitening matrix \(matrix.shape) for \(mean.count) values")
        self.mean = mean
        self.matrix = matrix
    }

    /// The ZCA transform of the batch values of `images` at `rows` (the training portion only).
    ///
    /// - Throws: `DataError.invalidConfig` naming `key` when there are no rows or the
    ///   eigen-decomposition fails.
    public static func zca(images: LabeledImages, rows: [Int], epsilon: Float = defaultEpsilon, key: String) throws -> Whitening {
        guard !rows.isEmpty else { throw DataError.invalidConfig(key: key, reason: "ZCA whitening needs training images; the split has none") }
        let d = images.imageSize
        var sums = [Double](repeating: 0, count: d)
        var gram = [Float](repeating: 0, count: d * d)  // Σ xᵀx, accumulated chunk by chunk
        var chunk: [Float] = []
        for start in stride(from: 0, to: rows.count, by: 2048) {
            let part = rows[start..<min(rows.count, start + 2048)]
            images.fillNormalizedValues(indices: part, into: &chunk)
            for r in 0..<part.count {
                for j in 0..<d { sums[j] += Double(chunk[r * d + j]) }
            }
            chunk.withUnsafeBufferPointer { x in
                gram.withUnsafeMutableBufferPointer { g in
                    BLAS.gemm(.transposed, .none, m: d, n: d, k: part.count, a: x.baseAddress!, lda: d, b: x.baseAddress!, ldb: d,
                              beta: 1, c: g.baseAddress!, ldc: d)
                }
            }
        }
        let n = Double(rows.count)
        let mean = sums.map { Float($0 / n) }
        var covariance = [Float](repeating: 0, count: d * d)
        covariance.withUnsafeMutableBufferPointer { c in
            gram.withUnsafeBufferPointer { g in
                for i in 0..<d {
                    let mi = Double(mean[i])
                    for j in 0..<d { c[i &* d &+ j] = Float(Double(g[i &* d &+ j]) / n - mi * Double(mean[j])) }
                }
            }
        }
        guard let values = BLAS.symmetricEigen(&covariance, n: d) else {
            throw DataError.invalidConfig(key: key, reason: "the eigen-decomposition of the \(d)×\(d) covariance failed")
        }
        // Z = Σ_k u_k·u_kᵀ/√(s_k + ε), with u_k row k of `covariance` now.
        var scaled = covariance
        scaled.withUnsafeMutableBufferPointer { v in
            for k in 0..<d {
                let factor = 1 / (max(0, values[k]) + epsilon).squareRoot()
                for j in (k &* d)..<(k &* d &+ d) { v[j] *= factor }
            }
        }
        var z = [Float](repeating: 0, count: d * d)
        scaled.withUnsafeBufferPointer { s in
            covariance.withUnsafeBufferPointer { u in
                z.withUnsafeMutableBufferPointer { out in
                    BLAS.gemm(.transposed, .none, m: d, n: d, k: d, a: u.baseAddress!, lda: d, b: s.baseAddress!, ldb: d, c: out.baseAddress!, ldc: d)
                }
            }
        }
        return Whitening(mean: mean, matrix: Tensor(shape: [d, d], scalars: z))
    }

    /// Whitens `rows` batch rows of `values` in place: `(x − μ)·Z`.
    public func apply(to values: inout [Float], rows: Int) {
        let d = mean.count
        precondition(values.count == rows * d, "whitening \(values.count) values as \(rows) rows of \(d)")
        guard rows > 0 else { return }
        var centred = values
        for r in 0..<rows {
            for j in 0..<d { centred[r * d + j] -= mean[j] }
        }
        centred.withUnsafeBufferPointer { x in
            matrix.scalars.withUnsafeBufferPointer { z in
                values.withUnsafeMutableBufferPointer { out in
                    BLAS.gemm(.none, .none, m: rows, n: d, k: d, a: x.baseAddress!, lda: d, b: z.baseAddress!, ldb: d, c: out.baseAddress!, ldc: d)
                }
            }
        }
    }
}

extension PixelNormalization {
    /// Per-channel standardisation from the bytes of `images` at `rows` (the training portion
    /// only): mean and population std of byte/255 per channel, exact (from byte histograms).
    ///
    /// - Throws: `DataError.invalidConfig` naming `key` when there are no rows or a channel is
    ///   constant.
    public static func standardization(of images: LabeledImages, rows: [Int], key: String) throws -> PixelNormalization {
        guard !rows.isEmpty else { throw DataError.invalidConfig(key: key, reason: "standardisation needs training images; the split has none") }
        let (channels, plane, size) = (images.channels, images.height * images.width, images.imageSize)
        var histogram = [Int](repeating: 0, count: channels * 256)
        images.pixels.withUnsafeBufferPointer { pixels in
            for row in rows {
                for c in 0..<channels {
                    let base = row * size + c * plane
                    for j in 0..<plane { histogram[c * 256 + Int(pixels[base + j])] += 1 }
                }
            }
        }
        var means: [Float] = [], deviations: [Float] = []
        for c in 0..<channels {
            let counts = histogram[(c * 256)..<((c + 1) * 256)]
            let total = Double(counts.reduce(0, +))
            let mean = zip(0..., counts).reduce(0.0) { $0 + Double($1.0) / 255 * Double($1.1) } / total
            let variance = zip(0..., counts).reduce(0.0) { $0 + pow(Double($1.0) / 255 - mean, 2) * Double($1.1) } / total
            guard variance > 0 else {
                throw DataError.invalidConfig(key: key, reason: "channel \(c) is constant in the training images; it cannot be standardised")
            }
            means.append(Float(mean))
            deviations.append(Float(variance.squareRoot()))
        }
        return PixelNormalization(mean: means, standardDeviation: deviations)
    }
}
