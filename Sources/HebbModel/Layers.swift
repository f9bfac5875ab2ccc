import HebbTensor

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
