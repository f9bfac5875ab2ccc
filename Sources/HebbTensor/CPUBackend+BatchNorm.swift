// Shapes: B samples, C channels, P positions per channel (H·W; 1 for BatchNorm1d).

/// A conv block's input batch norm on the host backend, in `BatchNorm.forward`'s arithmetic
/// (HebbModel): per-channel sums in Double in the same order, so the results are bit for bit
/// the host block's.
extension CPUBackend {
    public func batchNormStatistics(_ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, into statistics: DeviceBuffer) throws {
        let (v, out) = (floats(x), raw(statistics).assumingMemoryBound(to: Double.self))
        var sums = [Double](repeating: 0, count: 2 * channels)
        for r in 0..<batch {
            for c in 0..<channels {
                let base = (r &* channels &+ c) &* positions
                var (s, s2) = (0.0, 0.0)
                for p in 0..<positions {
                    let value = Double(v[base &+ p]); s += value; s2 += value * value
                }
                sums[2 &* c] += s
                sums[2 &* c &+ 1] += s2
            }
        }
        let count = Double(batch * positions)
        for c in 0..<channels {
            let mean = sums[2 * c] / count
            out[c] = mean
            out[channels + c] = max(0, sums[2 * c + 1] / count - mean * mean)
        }
    }

    public func updateRunningStatistics(_ statistics: DeviceBuffer, channels: Int, count: Int, momentum: Float, running: DeviceBuffer) throws {
        let (batch, out) = (raw(statistics).assumingMemoryBound(to: Double.self), floats(running))
        let n = Double(count)
        for c in 0..<channels {
            out[c] = (1 - momentum) * out[c] + momentum * Float(batch[c])
            out[channels + c] = (1 - momentum) * out[channels + c] + momentum * Float(batch[channels + c] * n / (n - 1))
        }
    }

    public func batchNormalise(
        _ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, statistics: DeviceBuffer, epsilon: Float, into y: DeviceBuffer
    ) throws {
        let (v, out, moments) = (floats(x), floats(y), raw(statistics).assumingMemoryBound(to: Double.self))
        for c in 0..<channels {
            let (mean, inverse) = (Float(moments[c]), 1 / (Float(moments[channels + c]) + epsilon).squareRoot())
            for r in 0..<batch {
                let base = (r &* channels &+ c) &* positions
                for p in 0..<positions { out[base &+ p] = (v[base &+ p] - mean) * inverse }
            }
        }
    }
}
