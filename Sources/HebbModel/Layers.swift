import HebbTensor

/// A fully connected Hebbian layer: stored weights W (O, N), currents `u = x·ŵᵀ` with the
/// effective weight `ŵ = sign(W)·|W|^(p−1)` (SoftHebb spec §3.1; Krotov & Hopfield's ⟨W, x⟩_μ).
///
/// Its weights are not trained by gradients; a learning rule updates them between batches.
public struct HebbianLinear: Sendable, Equatable {
    /// Stored weights W: (O, N).
    public private(set) var weight: Tensor
    /// Lebesgue power p of the weight norm.
    public let lebesguePower: Float
    /// ŵ for p ≠ 2 (empty for p = 2, where ŵ = W and no second copy is kept).
    private var storedEffectiveWeight: Tensor

    /// Wraps weights (O, N) with power p.
    public init(weight: Tensor, lebesguePower: Float) {
        precondition(weight.rank == 2, "Hebbian weight must be (out, in), got \(weight.shape)")
        self.weight = weight
        self.lebesguePower = lebesguePower
        storedEffectiveWeight = lebesguePower == 2 ? .zeros([0]) : weight.signedPower(lebesguePower - 1)
    }

    /// ŵ = sign(W)·|W|^(p−1).
    public var effectiveWeight: Tensor { lebesguePower == 2 ? weight : storedEffectiveWeight }

    /// Number of units O.
    public var outputFeatures: Int { weight.rows }
    /// Fan-in N.
    public var inputFeatures: Int { weight.columns }

    /// Currents u (B, O) for inputs x (B, N).
    public func forward(_ x: Tensor) -> Tensor {
        Tensor.matmul(x, effectiveWeight, transposeB: true)
    }

    /// Input gradient dy·ŵ: the layer acts as a fixed linear map under backprop.
    public func backward(_ dy: Tensor) -> Tensor { Tensor.matmul(dy, effectiveWeight) }

    /// Replaces the weights through `body` and refreshes ŵ.
    public mutating func updateWeights(_ body: (inout Tensor) -> Void) {
        body(&weight)
        guard lebesguePower != 2 else { return }
        // Rewrite ŵ in place: no allocation per update.
        weight.scalars.withUnsafeBufferPointer { w in
            storedEffectiveWeight.scalars.withUnsafeMutableBufferPointer {
                Kernels.signedPower(w, power: lebesguePower - 1, into: $0)
            }
        }
    }

    /// Radii ‖w_c‖_p of every unit (O).
    public var radii: [Float] { weight.normsRows(p: lebesguePower).scalars }
}

/// A fully connected layer trained by backprop: `y = x·Wᵀ + b`, PyTorch's default init
/// `U(−1/√N, 1/√N)` for W and b.
public struct Linear: Sendable, Equatable {
    /// Weights W: (O, N).
    public var weight: Tensor
    /// Bias b: (O).
    public var bias: Tensor

    /// A layer with given parameters.
    public init(weight: Tensor, bias: Tensor) {
        self.weight = weight
        self.bias = bias
    }

    /// Fresh layer with default init.
    public init(inputFeatures: Int, outputFeatures: Int, using rng: inout SeededGenerator) {
        let bound = 1 / Float(inputFeatures).squareRoot()
        weight = Tensor.uniform([outputFeatures, inputFeatures], low: -bound, high: bound, using: &rng)
        bias = Tensor.uniform([outputFeatures], low: -bound, high: bound, using: &rng)
    }

    /// Outputs (B, O) for inputs x (B, N).
    public func forward(_ x: Tensor) -> Tensor {
        var y = Tensor.matmul(x, weight, transposeB: true)
        let o = weight.rows
        y.scalars.withUnsafeMutableBufferPointer { v in
            bias.scalars.withUnsafeBufferPointer { b in
                for r in 0..<x.rows { for c in 0..<o { v[r &* o &+ c] += b[c] } }
            }
        }
        return y
    }

    /// Gradients for output gradient dy (B, O) and input x (B, N): (dx, dW, db).
    public func backward(_ dy: Tensor, input x: Tensor) -> (input: Tensor, weight: Tensor, bias: Tensor) {
        (Tensor.matmul(dy, weight), Tensor.matmul(dy, x, transposeA: true), dy.sum(alongAxis: 0))
    }
}

/// Inverted dropout: zero each element with probability p, scale survivors by 1/(1−p).
public struct Dropout: Sendable, Equatable {
    /// Drop probability p.
    public let probability: Float

    /// Creates the layer.
    public init(probability: Float) { self.probability = probability }

    /// Applies a fresh mask; returns the output and the mask (scale or 0 per element).
    public func forward(_ x: Tensor, using rng: inout SeededGenerator) -> (Tensor, Tensor) {
        let keep = 1 - probability
        let scale = keep > 0 ? 1 / keep : 0
        var mask = Tensor.zeros(x.shape)
        for i in 0..<mask.count where rng.nextUniform() < keep { mask.scalars[i] = scale }
        return (x * mask, mask)
    }
}
