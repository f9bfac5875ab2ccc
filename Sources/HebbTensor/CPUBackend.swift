// Shapes: M competitions (rows), N fan-in, O units.

/// The host backend: the same kernels `HebbianDelta`, the rules and `Tensor` use (OpenBLAS sgemm,
/// `Kernels`), on host memory. It never throws.
public final class CPUBackend: Backend {
    /// Creates the backend.
    public init() {}

    public var name: String { "cpu" }

    public func allocate(bytes: Int) throws -> DeviceBuffer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
        return DeviceBuffer(bytes: bytes, address: UInt64(UInt(bitPattern: pointer))) { address in
            UnsafeMutableRawPointer(bitPattern: UInt(address))?.deallocate()
        }
    }

    public func upload(_ source: UnsafeRawBufferPointer, to buffer: DeviceBuffer, offset: Int) throws {
        precondition(offset + source.count <= buffer.bytes, "upload of \(source.count) bytes at \(offset) into \(buffer.bytes)")
        guard let base = source.baseAddress, source.count > 0 else { return }
        (raw(buffer) + offset).copyMemory(from: base, byteCount: source.count)
    }

    public func download(_ buffer: DeviceBuffer, offset: Int, into destination: UnsafeMutableRawBufferPointer) throws {
        precondition(offset + destination.count <= buffer.bytes, "download of \(destination.count) bytes at \(offset) from \(buffer.bytes)")
        guard let base = destination.baseAddress, destination.count > 0 else { return }
        base.copyMemory(from: raw(buffer) + offset, byteCount: destination.count)
    }

    public func zero(_ buffer: DeviceBuffer, bytes: Int) throws {
        raw(buffer).initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
    }

    public func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: DeviceBuffer, lda: Int, b: DeviceBuffer, ldb: Int, beta: Float, c: DeviceBuffer, ldc: Int
    ) throws {
        BLAS.gemm(
            transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a: floats(a), lda: lda, b: floats(b), ldb: ldb,
            beta: beta, c: floats(c), ldc: ldc)
    }

    public func gatherRows(_ source: DeviceBuffer, indices: DeviceBuffer, offset: Int, rows: Int, columns: Int, into out: DeviceBuffer) throws {
        let (x, index, y) = (floats(source), raw(indices).assumingMemoryBound(to: Int32.self), floats(out))
        for r in 0..<rows {
            (y + r * columns).update(from: x + Int(index[offset + r]) * columns, count: columns)
        }
    }

    public func signedPower(_ x: DeviceBuffer, count: Int, power: Float, into out: DeviceBuffer) throws {
        Kernels.signedPower(view(x, count), power: power, into: mutableView(out, count))
    }

    public func softWinnerTakeAll(_ u: DeviceBuffer, rows: Int, columns: Int, inverseTemperature: Float, antiHebbian: Bool, into y: DeviceBuffer) throws {
        Kernels.softWinnerTakeAllRows(
            view(u, rows * columns), rows: rows, columns: columns, inverseTemperature: inverseTemperature,
            antiHebbian: antiHebbian, into: mutableView(y, rows * columns))
    }

    public func rankingSignal(_ u: DeviceBuffer, rows: Int, columns: Int, k: Int, strength: Float, into y: DeviceBuffer) throws {
        var ranked = [Int32](repeating: 0, count: rows * k)
        ranked.withUnsafeMutableBufferPointer { Kernels.topKRows(view(u, rows * columns), rows: rows, columns: columns, k: k, into: $0) }
        let signal = mutableView(y, rows * columns)
        signal.update(repeating: 0)
        for r in 0..<rows {
            signal[r * columns + Int(ranked[r * k])] += 1
            signal[r * columns + Int(ranked[r * k + k - 1])] -= strength
        }
    }

    public func decayCoefficients(signal y: DeviceBuffer, currents u: DeviceBuffer, rows: Int, columns: Int, into decay: DeviceBuffer) throws {
        let (s, c, d) = (floats(y), floats(u), mutableView(decay, columns))
        d.update(repeating: 0)
        for r in 0..<rows {
            for j in 0..<columns { d[j] += s[r &* columns &+ j] * c[r &* columns &+ j] }
        }
    }

    public func subtractDecay(_ delta: DeviceBuffer, decay: DeviceBuffer, weights: DeviceBuffer, units: Int, fanIn: Int) throws {
        let (d, coefficient, w) = (floats(delta), floats(decay), floats(weights))
        for c in 0..<units {
            for j in 0..<fanIn { d[c &* fanIn &+ j] -= coefficient[c] * w[c &* fanIn &+ j] }
        }
    }

    public func maxAbsolute(_ x: DeviceBuffer, count: Int, into out: DeviceBuffer) throws {
        floats(out)[0] = Kernels.maxAbsolute(view(x, count))
    }

    public func normalisedUpdate(
        _ weights: DeviceBuffer, delta: DeviceBuffer, maxAbsolute: DeviceBuffer, rates: DeviceBuffer?, rate: Float,
        units: Int, fanIn: Int
    ) throws {
        let (w, d) = (floats(weights), floats(delta))
        let inverse = 1 / (floats(maxAbsolute)[0] + 1e-30)
        for c in 0..<units {
            let step = (rates.map { floats($0)[c] } ?? rate) * inverse
            if step != 0 { for j in 0..<fanIn { w[c &* fanIn &+ j] += step * d[c &* fanIn &+ j] } }
        }
    }

    public func radii(_ weights: DeviceBuffer, units: Int, fanIn: Int, power: Float, into radii: DeviceBuffer) throws {
        Kernels.normsRows(view(weights, units * fanIn), rows: units, columns: fanIn, p: power, into: mutableView(radii, units))
    }

    public func adaptiveRates(radii: DeviceBuffer, units: Int, base: Float, power: Float, into rates: DeviceBuffer) throws {
        let (r, out) = (floats(radii), floats(rates))
        for c in 0..<units { out[c] = base * powf(abs(r[c] - 1) + 1e-10, power) }
    }

    public func accumulateTally(signal y: DeviceBuffer, currents u: DeviceBuffer, rows: Int, columns: Int, into tally: DeviceBuffer) throws {
        let (s, c) = (floats(y), floats(u))
        let t = raw(tally).assumingMemoryBound(to: Double.self)
        for j in 0..<columns {
            var (positive, negative, sum, squares, count) = (0.0, 0.0, 0.0, 0.0, 0.0)
            for r in 0..<rows {
                let (signal, current) = (Double(s[r &* columns &+ j]), Double(c[r &* columns &+ j]))
                if signal > 0 { positive += signal } else { negative -= signal }
                sum += current
                squares += current * current
                if current > 0 { count += 1 }
            }
            t[5 * j] += positive; t[5 * j + 1] += negative; t[5 * j + 2] += sum; t[5 * j + 3] += squares; t[5 * j + 4] += count
        }
    }

    public func unfold(_ x: DeviceBuffer, batch: Int, geometry: ConvolutionGeometry, into patches: DeviceBuffer) throws {
        Tensor.unfold(
            view(x, batch * geometry.inputSize), batch: batch, geometry: geometry,
            into: mutableView(patches, batch * geometry.positions * geometry.inputChannels * geometry.kernelSize * geometry.kernelSize))
    }

    func raw(_ buffer: DeviceBuffer) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(buffer.address))!
    }
    func floats(_ buffer: DeviceBuffer) -> UnsafeMutablePointer<Float> { raw(buffer).assumingMemoryBound(to: Float.self) }
    private func view(_ buffer: DeviceBuffer, _ count: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: floats(buffer), count: count)
    }
    private func mutableView(_ buffer: DeviceBuffer, _ count: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: floats(buffer), count: count)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
