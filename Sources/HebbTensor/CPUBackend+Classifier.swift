// The BP classifier's kernels on the host backend. Shapes: B rows, K classes.
// Each is the host layer's arithmetic in the same order (so the device path on this backend
// reproduces the host path): Linear.forward's bias, Dropout.forward, CrossEntropy.evaluate,
// Tensor.sum(alongAxis: 0), Adam.step.

extension CPUBackend {
    public func addBias(_ y: DeviceBuffer, bias: DeviceBuffer, rows: Int, columns: Int) throws {
        let (v, b) = (floats(y), floats(bias))
        for r in 0..<rows { for c in 0..<columns { v[r &* columns &+ c] += b[c] } }
    }

    public func applyDropout(_ x: DeviceBuffer, count: Int, mask: DeviceBuffer, wordOffset: Int, scale: Float) throws {
        let (v, words) = (floats(x), raw(mask).assumingMemoryBound(to: UInt32.self) + wordOffset)
        for i in 0..<count {
            let kept = (words[i >> 5] >> UInt32(i & 31)) & 1 == 1
            v[i] *= kept ? scale : 0
        }
    }

    public func softmaxCrossEntropy(
        _ logits: DeviceBuffer, rows: Int, classes: Int, labels: DeviceBuffer, indices: DeviceBuffer, offset: Int,
        gradient: DeviceBuffer, totals: DeviceBuffer, batchLosses: DeviceBuffer?, batch: Int
    ) throws {
        guard rows > 0 else { return }
        let (z, g) = (floats(logits), floats(gradient))
        let (label, index) = (raw(labels).assumingMemoryBound(to: Int32.self), raw(indices).assumingMemoryBound(to: Int32.self))
        g.update(from: z, count: rows * classes)
        Kernels.softmaxRows(UnsafeMutableBufferPointer(start: g, count: rows * classes), rows: rows, columns: classes, inverseTemperature: 1)
        var predictions = [Int32](repeating: 0, count: rows)
        predictions.withUnsafeMutableBufferPointer {
            Kernels.argmaxRows(UnsafeBufferPointer(start: z, count: rows * classes), rows: rows, columns: classes, into: $0)
        }
        var (loss, correct) = (0.0, 0)
        for r in 0..<rows {
            let target = Int(label[Int(index[offset + r])])
            let row = z + r * classes
            // log-sum-exp in Double, as CrossEntropy.evaluate
            var top = -Double.infinity
            for c in 0..<classes { top = max(top, Double(row[c])) }
            var sum = 0.0
            for c in 0..<classes { sum += exp(Double(row[c]) - top) }
            if target >= 0 && target < classes {
                loss += top + log(sum) - Double(row[target])
                g[r * classes + target] -= 1
            }
            if Int(predictions[r]) == target { correct += 1 }
        }
        let scale = 1 / Float(rows)
        for i in 0..<(rows * classes) { g[i] *= scale }
        let mean = Float(loss / Double(rows))
        let sums = raw(totals).assumingMemoryBound(to: Double.self)
        sums[0] += Double(mean) * Double(rows)
        sums[1] += Double(correct)
        if let batchLosses { floats(batchLosses)[batch] = mean }
    }

    public func columnSums(_ x: DeviceBuffer, rows: Int, columns: Int, into out: DeviceBuffer) throws {
        let (v, sums) = (floats(x), floats(out))
        sums.update(repeating: 0, count: columns)
        for r in 0..<rows { for c in 0..<columns { sums[c] += v[r &* columns &+ c] } }
    }

    public func adamStep(
        _ parameters: DeviceBuffer, gradient: DeviceBuffer, firstMoments: DeviceBuffer, secondMoments: DeviceBuffer,
        count: Int, coefficients k: AdamCoefficients
    ) throws {
        let (p, g, m, v) = (floats(parameters), floats(gradient), floats(firstMoments), floats(secondMoments))
        for i in 0..<count {
            m[i] = k.beta1 * m[i] + (1 - k.beta1) * g[i]
            v[i] = k.beta2 * v[i] + (1 - k.beta2) * g[i] * g[i]
            p[i] -= k.stepSize * m[i] / (v[i].squareRoot() / k.root + k.epsilon)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
