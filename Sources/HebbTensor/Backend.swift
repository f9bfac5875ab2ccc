// Shapes: M competitions (rows), N fan-in, O units. Buffers hold float32 unless noted.

/// Memory owned by a `Backend`: host memory for the CPU backend, device memory for a GPU one.
/// Freed when the last reference goes away.
public final class DeviceBuffer: @unchecked Sendable {
    /// Size in bytes.
    public let bytes: Int
    /// The backend's address of the first byte (a host pointer's bits, or a `CUdeviceptr`).
    public let address: UInt64
    private let release: @Sendable (UInt64) -> Void

    /// Wraps memory that `release` frees.
    public init(bytes: Int, address: UInt64, release: @escaping @Sendable (UInt64) -> Void) {
        self.bytes = bytes
        self.address = address
        self.release = release
    }

    deinit { release(address) }

    /// Number of float32 elements that fit.
    public var floatCount: Int { bytes / MemoryLayout<Float>.size }

    /// The `bytes` bytes from byte `offset` on, as a buffer of their own (no copy): it keeps this
    /// buffer alive and frees nothing itself.
    public func slice(offset: Int, bytes: Int) -> DeviceBuffer {
        precondition(offset >= 0 && bytes >= 0 && offset + bytes <= self.bytes, "slice of \(bytes) bytes at \(offset) from \(self.bytes)")
        return DeviceBuffer(bytes: bytes, address: address + UInt64(offset)) { [self] _ in withExtendedLifetime(self) {} }
    }
}

/// What a compute device provides for the Hebbian hot paths of a fully connected or convolutional
/// layer: memory, sgemm, the element-wise/reduction kernels of the rules (SoftHebb spec §3.2, §3.3;
/// Krotov–Hopfield), a conv block's input stage (affine-free batch norm, unfold), the BP
/// classifier's kernels, and what the evaluation-mode forward of frozen blocks adds (layout
/// change, activations, pooling).
/// Every call is ordered after the previous one on the same backend (one stream); only
/// `download` waits for the device. `CPUBackend` runs today's kernels; `CUDABackend` (HebbCUDA)
/// runs cuBLAS and NVRTC-compiled kernels.
public protocol Backend: AnyObject {
    /// Short name for logs ("cpu", "cuda:0 NVIDIA H100 …").
    var name: String { get }
    /// Uninitialised memory of `bytes` bytes.
    func allocate(bytes: Int) throws -> DeviceBuffer
    /// Copies host bytes into `buffer` at byte `offset`.
    func upload(_ source: UnsafeRawBufferPointer, to buffer: DeviceBuffer, offset: Int) throws
    /// Copies `destination.count` bytes from byte `offset` of `buffer` to the host (waits for the device).
    func download(_ buffer: DeviceBuffer, offset: Int, into destination: UnsafeMutableRawBufferPointer) throws
    /// Sets `bytes` bytes from the start of `buffer` to zero.
    func zero(_ buffer: DeviceBuffer, bytes: Int) throws
    /// Row-major `C ← α·op(A)·op(B) + β·C`; op(A) (M, K), op(B) (K, N), C (M, N).
    func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: DeviceBuffer, lda: Int, b: DeviceBuffer, ldb: Int, beta: Float, c: DeviceBuffer, ldc: Int) throws
    /// `out[r, :] = source[indices[offset + r], :]` for r < rows; `indices` holds Int32.
    func gatherRows(_ source: DeviceBuffer, indices: DeviceBuffer, offset: Int, rows: Int, columns: Int, into out: DeviceBuffer) throws
    /// `out[i] = sign(x[i])·|x[i]|^power` (ŵ for Lebesgue power p, with power p − 1).
    func signedPower(_ x: DeviceBuffer, count: Int, power: Float, into out: DeviceBuffer) throws
    /// SoftHebb's y = softmax(t·u) per row, negated for all but the arg-max when `antiHebbian`.
    func softWinnerTakeAll(_ u: DeviceBuffer, rows: Int, columns: Int, inverseTemperature: Float, antiHebbian: Bool, into y: DeviceBuffer) throws
    /// Krotov's dense signal: +1 for each row's top unit, −strength for its k-th ranked unit, 0 elsewhere.
    func rankingSignal(_ u: DeviceBuffer, rows: Int, columns: Int, k: Int, strength: Float, into y: DeviceBuffer) throws
    /// `decay[c] = Σ_m y[m, c]·u[m, c]` (O).
    func decayCoefficients(signal y: DeviceBuffer, currents u: DeviceBuffer, rows: Int, columns: Int, into decay: DeviceBuffer) throws
    /// `Δ[c, j] −= decay[c]·w[c, j]`, completing `Δw_c = Σ_m y_mc·(x_m − u_mc·w_c)` after the GEMM yᵀx.
    func subtractDecay(_ delta: DeviceBuffer, decay: DeviceBuffer, weights: DeviceBuffer, units: Int, fanIn: Int) throws
    /// `out[0] = max |x[i]|` over `count` floats (one float).
    func maxAbsolute(_ x: DeviceBuffer, count: Int, into out: DeviceBuffer) throws
    /// `w[c, j] += η_c / (max + 1e-30)·Δ[c, j]`, η_c = rates[c], or `rate` for every unit when `rates` is nil.
    func normalisedUpdate(
        _ weights: DeviceBuffer, delta: DeviceBuffer, maxAbsolute: DeviceBuffer, rates: DeviceBuffer?, rate: Float,
        units: Int, fanIn: Int) throws
    /// `radii[c] = ‖w_c‖_p` (O).
    func radii(_ weights: DeviceBuffer, units: Int, fanIn: Int, power: Float, into radii: DeviceBuffer) throws
    /// Radius-adaptive rates `rates[c] = base·(|r_c − 1| + 1e-10)^power` (SoftHebb spec §3.5).
    func adaptiveRates(radii: DeviceBuffer, units: Int, base: Float, power: Float, into rates: DeviceBuffer) throws
    /// Adds this batch's signal and current statistics per unit into `tally`, five Doubles per
    /// unit, unit-major: Σ max(y, 0), Σ max(−y, 0), Σ u, Σ u², #(u > 0).
    func accumulateTally(signal y: DeviceBuffer, currents u: DeviceBuffer, rows: Int, columns: Int, into tally: DeviceBuffer) throws
    /// im2col of x (B, C·H·W) into patches (B·P, C·k·k), with the geometry's padding mode.
    func unfold(_ x: DeviceBuffer, batch: Int, geometry: ConvolutionGeometry, into patches: DeviceBuffer) throws
    /// Batch statistics of x (B, C·P) per channel over batch and positions, as `BatchNorm.forward`
    /// computes them in training mode: `statistics` gets 2·C Doubles, the means, then the biased
    /// variances `max(0, E[x²] − mean²)`.
    func batchNormStatistics(_ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, into statistics: DeviceBuffer) throws
    /// `BatchNorm`'s running statistics update from `batchNormStatistics` of `count` = B·P values per
    /// channel: `running` holds 2·C floats, the means, then the variances;
    /// `mean ← (1 − momentum)·mean + momentum·m`, `var ← (1 − momentum)·var + momentum·v·count/(count − 1)`.
    func updateRunningStatistics(_ statistics: DeviceBuffer, channels: Int, count: Int, momentum: Float, running: DeviceBuffer) throws
    /// `y[b, c, p] = (x[b, c, p] − m_c) / sqrt(v_c + ε)` with the batch statistics (m, v) of
    /// `batchNormStatistics`; `y` may be `x`.
    func batchNormalise(
        _ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, statistics: DeviceBuffer, epsilon: Float, into y: DeviceBuffer) throws

    // The BP classifier (dropout → linear → cross-entropy → Adam); B rows, K classes.
    /// `y[r, c] += bias[c]` for y (B, K) (`Linear.forward` after its sgemm).
    func addBias(_ y: DeviceBuffer, bias: DeviceBuffer, rows: Int, columns: Int) throws
    /// Inverted dropout in place (`Dropout.forward`): `x[i] *= scale` when bit i % 32 of word
    /// `wordOffset + i / 32` of `mask` (UInt32 words, `Dropout.keepMask`) is set, else `x[i] *= 0`; i < count.
    func applyDropout(_ x: DeviceBuffer, count: Int, mask: DeviceBuffer, wordOffset: Int, scale: Float) throws
    /// Softmax cross-entropy of `logits` (B, K) with row r's class `labels[indices[offset + r]]`
    /// (both Int32), as `CrossEntropy.evaluate`: `gradient = (softmax − one-hot)/B` (B, K); the
    /// batch's mean loss ℓ (log-sum-exp in Double, rounded to Float) is added as `Double(ℓ)·B` to
    /// `totals[0]` and the number of correct arg-max predictions to `totals[1]` (two Doubles), and
    /// stored at `batchLosses[batch]` (Float) when `batchLosses` is given.
    func softmaxCrossEntropy(
        _ logits: DeviceBuffer, rows: Int, classes: Int, labels: DeviceBuffer, indices: DeviceBuffer, offset: Int,
        gradient: DeviceBuffer, totals: DeviceBuffer, batchLosses: DeviceBuffer?, batch: Int) throws
    /// `out[c] = Σ_r x[r, c]` for x (B, K), summed in row order (`Tensor.sum(alongAxis: 0)`).
    func columnSums(_ x: DeviceBuffer, rows: Int, columns: Int, into out: DeviceBuffer) throws
    /// One Adam step on `count` parameters (`Adam.step`): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
    /// p ← p − stepSize·m / (√v / root + ε).
    func adamStep(
        _ parameters: DeviceBuffer, gradient: DeviceBuffer, firstMoments: DeviceBuffer, secondMoments: DeviceBuffer,
        count: Int, coefficients: AdamCoefficients) throws

    // The evaluation-mode forward of frozen blocks (norms with running statistics through
    // `batchNormalise`, convolutions through `unfold` and `gemm`, biases through `addBias`).
    /// Position rows (B·P, C) to channel-major rows (B, C·P), as `Tensor.channelsFirst`:
    /// `out[b, c·P + p] = rows[b·P + p, c]`; `out` must not be `rows`.
    func channelsFirst(_ rows: DeviceBuffer, batch: Int, positions: Int, channels: Int, into out: DeviceBuffer) throws
    /// Subtracts every row's mean from the row of x (M, N) in place, as `Kernels.centreRows`
    /// (a Hebbian convolution's centred patches, `center1`).
    func centreRows(_ x: DeviceBuffer, rows: Int, columns: Int) throws
    /// `y = function(x)` for x (B, C·P), as `ActivationFunction.forward`; `y` may be `x`.
    func activate(_ x: DeviceBuffer, batch: Int, channels: Int, positions: Int, function: ActivationFunction, into y: DeviceBuffer) throws
    /// Max or average pooling of x (B, C·H·W) into y (B, C·outH·outW), as `Tensor.pooled`
    /// (−∞ padding for max, padded zeros counted for average); `y` must not be `x`.
    func pool(_ x: DeviceBuffer, batch: Int, geometry: PoolGeometry, into y: DeviceBuffer) throws
}

/// One Adam step's scalars: β₁, β₂, ε and the bias-corrected step size and √(1 − β₂ᵗ) (`Adam.biasCorrection`).
public struct AdamCoefficients: Sendable, Equatable {
    public var beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, root: Float

    /// Collects the scalars.
    public init(beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, root: Float) {
        (self.beta1, self.beta2, self.epsilon, self.stepSize, self.root) = (beta1, beta2, epsilon, stepSize, root)
    }
}

extension Backend {
    /// A buffer holding `values`.
    public func buffer<T>(_ values: [T]) throws -> DeviceBuffer {
        let out = try allocate(bytes: max(1, values.count * MemoryLayout<T>.stride))
        try values.withUnsafeBytes { try upload($0, to: out, offset: 0) }
        return out
    }

    /// The first `count` elements of `buffer` as host values.
    public func values<T>(_ buffer: DeviceBuffer, count: Int, as type: T.Type = T.self) throws -> [T] where T: Numeric {
        var out = [T](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try download(buffer, offset: 0, into: $0) }
        return out
    }
}
