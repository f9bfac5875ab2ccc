import HebbTensor

// Layout: each sample row holds C channels × P positions (NCHW flattened); MLP has P = 1.
// Channel-wise operations (triangle mean, softmax) run across C at each position.

/// A block activation (spec §1.6): the forward arithmetic is `ActivationFunction`'s (HebbTensor,
/// where a `Backend` can run it too); this module adds the backward pass.
public typealias Activation = ActivationFunction

extension Activation {
    /// Gradient w.r.t. the input, given input x, output y and output gradient dy (all (B, C·P)).
    public func backward(input x: Tensor, output y: Tensor, gradient dy: Tensor, channels: Int) -> Tensor {
        var dx = dy
        let positions = x.columns / channels
        x.scalars.withUnsafeBufferPointer { xv in
            y.scalars.withUnsafeBufferPointer { yv in
                dx.scalars.withUnsafeMutableBufferPointer { g in
                    switch self {
                    case .identity: break
                    case .relu: for i in 0..<g.count where xv[i] <= 0 { g[i] = 0 }
                    case .repu(let q):
                        for i in 0..<g.count { g[i] *= q * Activation.rectifiedPower(xv[i], q - 1) }
                    case .triangle(let q):
                        ActivationFunction.forEachChannelVector(rows: x.rows, channels: channels, positions: positions) { idx in
                            var mean: Float = 0
                            for i in idx { mean += xv[i] }
                            mean /= Float(channels)
                            for i in idx { g[i] *= q * Activation.rectifiedPower(xv[i] - mean, q - 1) }
                        }
                    case .softmax(let t):
                        ActivationFunction.forEachChannelVector(rows: x.rows, channels: channels, positions: positions) { idx in
                            var dot: Float = 0
                            for i in idx { dot += g[i] * yv[i] }
                            for i in idx { g[i] = t * yv[i] * (g[i] - dot) }
                        }
                    case .sigmoid(let b): for i in 0..<g.count { g[i] *= b * yv[i] * (1 - yv[i]) }
                    case .tanh(let b): for i in 0..<g.count { g[i] *= b * (1 - yv[i] * yv[i]) }
                    case .exponential(let t): for i in 0..<g.count { g[i] *= t * yv[i] }
                    case .hardMax: g.update(repeating: 0)
                    }
                }
            }
        }
        return dx
    }

    /// relu(v)^q, with relu(v)^0 = 1 for v > 0 and 0 otherwise.
    @inline(__always)
    static func rectifiedPower(_ v: Float, _ q: Float) -> Float {
        if v <= 0 { return 0 }
        if q == 1 { return v }
        if q == 2 { return v * v }
        return powf(v, q)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
