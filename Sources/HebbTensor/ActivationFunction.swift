// Layout: each sample row holds C channels × P positions (NCHW flattened); MLP has P = 1.
// Channel-wise operations (triangle mean, softmax, hard max) run across C at each position.

/// A block activation, SoftHebb's `name_param` strings (spec §1.6). HebbModel calls it
/// `Activation` and adds the backward pass; its forward arithmetic lives here, next to the
/// kernels, so a `Backend` (the CPU one runs this very code) can apply it to device buffers.
public enum ActivationFunction: Sendable, Equatable, Codable {
    /// Identity.
    case identity
    /// max(x, 0).
    case relu
    /// Rectified power unit `relu(x)^power`.
    case repu(power: Float)
    /// `relu(x − mean_c x)^power`, the mean over channels treated as a constant.
    case triangle(power: Float)
    /// softmax over channels of `inverseTemperature·x`.
    case softmax(inverseTemperature: Float)
    /// `1/(1 + e^(−beta·x))` (SoftHebb hard-codes beta = 10 and ignores the parameter; we honour it).
    case sigmoid(beta: Float)
    /// tanh(beta·x).
    case tanh(beta: Float)
    /// exp(inverseTemperature·x).
    case exponential(inverseTemperature: Float)
    /// One-hot of the arg-max channel (no gradient).
    case hardMax

    /// Applies the activation to a batch (B, C·P) and returns the output.
    public func forward(_ x: Tensor, channels: Int) -> Tensor {
        if self == .identity { return x }
        var y = x
        y.scalars.withUnsafeMutableBufferPointer { apply(to: $0, rows: x.rows, channels: channels, positions: x.columns / channels) }
        return y
    }

    /// Applies the activation in place to `rows` samples of `channels` × `positions` values.
    public func apply(to v: UnsafeMutableBufferPointer<Float>, rows: Int, channels: Int, positions: Int) {
        switch self {
        case .identity: break
        case .relu: for i in 0..<v.count { v[i] = Swift.max(v[i], 0) }
        case .repu(let q): Kernels.rectifiedPower(v, power: q)
        case .triangle(let q):
            // Per sample: the channel mean at every position (contiguous channel planes), then
            // relu(v − mean)^q over the whole row.
            var mean = [Float](repeating: 0, count: positions)
            for r in 0..<rows {
                let row = r &* channels &* positions
                for p in 0..<positions { mean[p] = 0 }
                for c in 0..<channels {
                    let plane = row &+ c &* positions
                    for p in 0..<positions { mean[p] += v[plane &+ p] }
                }
                for p in 0..<positions { mean[p] /= Float(channels) }
                for c in 0..<channels {
                    let plane = row &+ c &* positions
                    for p in 0..<positions { v[plane &+ p] -= mean[p] }
                }
                Kernels.rectifiedPower(UnsafeMutableBufferPointer(rebasing: v[row..<(row &+ channels &* positions)]), power: q)
            }
        case .softmax(let t):
            ActivationFunction.forEachChannelVector(rows: rows, channels: channels, positions: positions) { idx in
                var m = -Float.infinity
                for i in idx { m = Swift.max(m, t * v[i]) }
                var total: Float = 0
                for i in idx { v[i] = expf(t * v[i] - m); total += v[i] }
                for i in idx { v[i] /= total }
            }
        case .sigmoid(let b): for i in 0..<v.count { v[i] = 1 / (1 + expf(-b * v[i])) }
        case .tanh(let b): for i in 0..<v.count { v[i] = tanhf(b * v[i]) }
        case .exponential(let t): for i in 0..<v.count { v[i] = expf(t * v[i]) }
        case .hardMax:
            ActivationFunction.forEachChannelVector(rows: rows, channels: channels, positions: positions) { idx in
                var best = idx.first(where: { _ in true }) ?? 0
                for i in idx where v[i] > v[best] { best = i }
                for i in idx { v[i] = i == best ? 1 : 0 }
            }
        }
    }

    /// Calls `body` with the flat indices of the C channels at each (sample, position).
    @inline(__always)
    public static func forEachChannelVector(
        rows: Int, channels: Int, positions: Int, _ body: (StrideTo<Int>) -> Void
    ) {
        for r in 0..<rows {
            for p in 0..<positions {
                let start = r * channels * positions + p
                body(stride(from: start, to: start + channels * positions, by: positions))
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
