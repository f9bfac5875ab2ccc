import HebbTensor

/// Affine-free batch normalisation over channels (BatchNorm1d: P = 1; BatchNorm2d: P = H·W).
///
/// Training: normalise with batch statistics (biased variance), update running statistics with
/// momentum 0.1 and the unbiased variance. Evaluation: use the running statistics (initially
/// mean 0, variance 1). As in SoftHebb, running statistics move only while the block trains.
public struct BatchNorm: Sendable, Equatable {
    /// Number of channels C.
    public let channels: Int
    /// Running mean per channel.
    public var runningMean: [Float]
    /// Running (unbiased) variance per channel.
    public var runningVariance: [Float]
    /// ε added to the variance.
    public let epsilon: Float = 1e-5
    /// Weight of the newest batch in the running statistics.
    public let momentum: Float = 0.1

    /// A fresh normaliser with mean 0 / variance 1.
    public init(channels: Int) {
        self.channels = channels
        runningMean = [Float](repeating: 0, count: channels)
        runningVariance = [Float](repeating: 1, count: channels)
    }

    /// What the backward pass needs.
    public struct Cache: Sendable {
        var normalised: Tensor
        var inverseStandardDeviation: [Float]
        var usedBatchStatistics: Bool
    }

    /// Normalises x (B, C·P); in training mode uses and records batch statistics.
    public mutating func forward(_ x: Tensor, training: Bool) -> (Tensor, Cache) {
        let (b, positions) = (x.rows, x.columns / channels)
        var mean = runningMean
        var variance = runningVariance
        let useBatch = training && b * positions > 1
        if useBatch {
            let count = Double(b * positions)
            // Per-channel sums in Double (one pass, unchecked buffer reads: this runs on every
            // conv batch).
            var sums = [Double](repeating: 0, count: 2 * channels)
            x.scalars.withUnsafeBufferPointer { v in
                for r in 0..<b {
                    for c in 0..<channels {
                        let base = (r &* channels &+ c) &* positions
                        var s = 0.0, s2 = 0.0
                        for p in 0..<positions {
                            let value = Double(v[base &+ p]); s += value; s2 += value * value
                        }
                        sums[2 &* c] += s
                        sums[2 &* c &+ 1] += s2
                    }
                }
            }
            for c in 0..<channels {
                let (s, s2) = (sums[2 * c], sums[2 * c + 1])
                let m = s / count
                let biased = Swift.max(0, s2 / count - m * m)
                mean[c] = Float(m)
                variance[c] = Float(biased)
                runningMean[c] = (1 - momentum) * runningMean[c] + momentum * Float(m)
                runningVariance[c] = (1 - momentum) * runningVariance[c] + momentum * Float(biased * count / (count - 1))
            }
        }
        let inverse = variance.map { 1 / ($0 + epsilon).squareRoot() }
        var y = x
        y.scalars.withUnsafeMutableBufferPointer { v in
            for r in 0..<b {
                for c in 0..<channels {
                    let base = (r * channels + c) * positions
                    let (m, s) = (mean[c], inverse[c])
                    for p in 0..<positions { v[base + p] = (v[base + p] - m) * s }
                }
            }
        }
        return (y, Cache(normalised: y, inverseStandardDeviation: inverse, usedBatchStatistics: useBatch))
    }

    /// Gradient w.r.t. the input for output gradient dy.
    public func backward(_ dy: Tensor, cache: Cache) -> Tensor {
        let (b, positions) = (dy.rows, dy.columns / channels)
        var dx = dy
        let count = Float(b * positions)
        for c in 0..<channels {
            let s = cache.inverseStandardDeviation[c]
            var sumDy: Float = 0, sumDyY: Float = 0
            if cache.usedBatchStatistics {
                for r in 0..<b {
                    let base = (r * channels + c) * positions
                    for p in 0..<positions {
                        sumDy += dy.scalars[base + p]
                        sumDyY += dy.scalars[base + p] * cache.normalised.scalars[base + p]
                    }
                }
            }
            for r in 0..<b {
                let base = (r * channels + c) * positions
                for p in 0..<positions {
                    let g = dy.scalars[base + p]
                    dx.scalars[base + p] = cache.usedBatchStatistics
                        ? s * (g - sumDy / count - cache.normalised.scalars[base + p] * sumDyY / count)
                        : s * g
                }
            }
        }
        return dx
    }
}
