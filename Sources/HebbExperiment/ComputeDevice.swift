import HebbCUDA
import HebbTensor

/// Where `hebb train` runs its eligible Hebbian phases (`--device cpu|cuda`, `--gpu-id N`).
public enum ComputeDevice: Equatable, Sendable, CustomStringConvertible {
    /// Everything on the host (OpenBLAS), the default.
    case cpu
    /// Unsupervised fully connected Hebbian phases on CUDA device `gpu` (see `Trainer+Device.swift`).
    case cuda(gpu: Int)

    /// The backend for the trainer: nil for the CPU (the host code path), a `CUDABackend` for CUDA.
    /// Throws `CUDAError` (one line naming what was not found) when CUDA cannot be used.
    public func makeBackend(environment: [String: String]) throws -> (any Backend)? {
        switch self {
        case .cpu: return nil
        case .cuda(let gpu): return try CUDABackend(deviceID: gpu, environment: environment)
        }
    }

    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let gpu): return "cuda:\(gpu)"
        }
    }
}
