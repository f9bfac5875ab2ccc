import HebbTensor

// Shapes: M = B·P rows of patches, G groups, N patch width of one group (C_in/G·k·k),
// O filters (O/G per group).

/// A 2-D convolution trained by backprop (SoftHebb's `BP-…` CNN layers): reflect padding, no
/// bias unless `b1`, PyTorch's default init `U(−1/√N, 1/√N)` for weights and bias.
public struct Convolution: Sendable, Equatable {
    /// Weights W: (O, N), PyTorch's [O, C_in/G, k, k] flattened per filter.
    public var weight: Tensor
    /// Bias (O), if any.
    public var bias: Tensor?
    /// Shape of the convolution.
    public let geometry: ConvolutionGeometry

    /// A layer with given parameters.
    public init(weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry) {
        precondition(weight.shape == [geometry.outputChannels, geometry.patchWidth], "conv weight \(weight.shape) vs geometry")
        self.weight = weight
        self.bias = bias
        self.geometry = geometry
    }

    /// Fresh layer with PyTorch's default init.
    public init(geometry: ConvolutionGeometry, hasBias: Bool, using rng: inout SeededGenerator) {
        let bound = 1 / Float(geometry.patchWidth).squareRoot()
        weight = Tensor.uniform([geometry.outputChannels, geometry.patchWidth], low: -bound, high: bound, using: &rng)
        bias = hasBias ? Tensor.uniform([geometry.outputChannels], low: -bound, high: bound, using: &rng) : nil
        self.geometry = geometry
    }

    /// Outputs (B, O·P) for inputs (B, C·H·W), and the patches backward needs.
    public func forward(_ x: Tensor) -> (output: Tensor, patches: Tensor) {
        let patches = x.unfolded(geometry)
        var u = GroupedProduct.currents(patches: patches, weight: weight, groups: geometry.groups)
        if let bias {
            let (o, rows) = (geometry.outputChannels, u.rows)
            u.scalars.withUnsafeMutableBufferPointer { v in
                for r in 0..<rows { for c in 0..<o { v[r &* o &+ c] += bias.scalars[c] } }
            }
        }
        return (u.channelsFirst(channels: geometry.outputChannels, positions: geometry.positions), patches)
    }

    /// Gradients for output gradient dy (B, O·P): input (B, C·H·W), weight (O, N), bias (O).
    public func backward(_ dy: Tensor, patches: Tensor) -> (input: Tensor, weight: Tensor, bias: Tensor?) {
        let rows = dy.channelsLast(channels: geometry.outputChannels)
        let dPatches = GroupedProduct.inputGradient(rows, weight: weight, groups: geometry.groups)
        let dWeight = GroupedProduct.weightGradient(rows, patches: patches, groups: geometry.groups)
        return (Tensor.folded(dPatches, geometry: geometry, batch: dy.rows), dWeight, bias == nil ? nil : rows.sum(alongAxis: 0))
    }
}

/// Products of grouped convolutions on unfolded patches: group g uses patch columns
/// [g·N, (g+1)·N) and weight rows [g·O/G, (g+1)·O/G). One GEMM per group, no copies.
public enum GroupedProduct {
    /// u (M, O) = patches (M, G·N) · Wᵀ per group.
    public static func currents(patches: Tensor, weight: Tensor, groups: Int) -> Tensor {
        let (m, o, n) = (patches.rows, weight.rows, weight.columns)
        let og = o / groups
        var out = Tensor.zeros([m, o])
        withPointers(patches, weight, &out) { p, w, u in
            for g in 0..<groups {
                BLAS.gemm(.none, .transposed, m: m, n: og, k: n, a: p + g * n, lda: groups * n,
                          b: w + g * og * n, ldb: n, c: u + g * og, ldc: o)
            }
        }
        return out
    }

    /// dPatches (M, G·N) = dU (M, O) · W per group.
    public static func inputGradient(_ du: Tensor, weight: Tensor, groups: Int) -> Tensor {
        let (m, o, n) = (du.rows, weight.rows, weight.columns)
        let og = o / groups
        var out = Tensor.zeros([m, groups * n])
        withPointers(du, weight, &out) { d, w, p in
            for g in 0..<groups {
                BLAS.gemm(.none, .none, m: m, n: n, k: og, a: d + g * og, lda: o,
                          b: w + g * og * n, ldb: n, c: p + g * n, ldc: groups * n)
            }
        }
        return out
    }

    /// dW (O, N) = dUᵀ · patches per group.
    public static func weightGradient(_ du: Tensor, patches: Tensor, groups: Int) -> Tensor {
        let (m, o) = (du.rows, du.columns)
        let n = patches.columns / groups
        let og = o / groups
        var out = Tensor.zeros([o, n])
        withPointers(du, patches, &out) { d, p, w in
            for g in 0..<groups {
                BLAS.gemm(.transposed, .none, m: og, n: n, k: m, a: d + g * og, lda: o,
                          b: p + g * n, ldb: groups * n, c: w + g * og * n, ldc: n)
            }
        }
        return out
    }

    private static func withPointers(
        _ a: Tensor, _ b: Tensor, _ c: inout Tensor,
        _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else { return }
                    body(pa, pb, pc)
                }
            }
        }
    }
}
