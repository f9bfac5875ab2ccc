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
    ///
    /// Each 64-bit draw decides two elements: element 2j is kept when the low 32 bits of draw j
    /// are below `keep·2³²`, element 2j+1 when the high 32 bits are (branch-free, one pass that
    /// writes mask and output together).
    public func forward(_ x: Tensor, using rng: inout SeededGenerator) -> (Tensor, Tensor) {
        let (scale, threshold) = (self.scale, keepThreshold)
        let count = x.count
        var output: [Float] = []
        let mask = [Float](unsafeUninitializedCapacity: count) { m, maskCount in
            output = [Float](unsafeUninitializedCapacity: count) { out, outCount in
                x.scalars.withUnsafeBufferPointer { input in
                    var i = 0
                    while i < count {
                        let bits = rng.next()
                        let low = (bits & 0xFFFF_FFFF) < threshold ? scale : 0
                        m[i] = low
                        out[i] = input[i] * low
                        if i + 1 < count {
                            let high = (bits >> 32) < threshold ? scale : 0
                            m[i + 1] = high
                            out[i + 1] = input[i + 1] * high
                        }
                        i += 2
                    }
                }
                outCount = count
            }
            maskCount = count
        }
        return (Tensor(shape: x.shape, scalars: output), Tensor(shape: x.shape, scalars: mask))
    }

    /// The factor kept elements are multiplied by: 1/(1−p), 0 when p = 1.
    public var scale: Float {
        let keep = 1 - probability
        return keep > 0 ? 1 / keep : 0
    }

    /// A 32-bit draw half keeps its element when it is below this: keep·2³².
    var keepThreshold: UInt64 { UInt64((Double(max(0, min(1, 1 - probability))) * 0x1p32).rounded()) }

    /// The keep decisions `forward` would draw for `count` elements, as bits: element i is kept
    /// when bit i % 32 of `words[i / 32]` is set. Consumes the same ⌈count/2⌉ draws from `rng`
    /// (for a device that applies the mask itself; `words` holds at least ⌈count/32⌉ words).
    public func keepMask(count: Int, into words: UnsafeMutableBufferPointer<UInt32>, using rng: inout SeededGenerator) {
        let threshold = keepThreshold
        let draws = (count + 1) / 2
        precondition(words.count >= (draws + 15) / 16, "\(words.count) mask words for \(count) elements")
        var word: UInt32 = 0
        for j in 0..<draws {
            let bits = rng.next()
            let pair: UInt32 = ((bits & 0xFFFF_FFFF) < threshold ? 1 : 0) | ((bits >> 32) < threshold ? 2 : 0)
            word |= pair << UInt32(2 * (j & 15))
            if j & 15 == 15 {
                words[j >> 4] = word
                word = 0
            }
        }
        if draws & 15 != 0 { words[draws >> 4] = word }
    }
}
