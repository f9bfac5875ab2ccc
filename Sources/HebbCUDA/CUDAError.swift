/// Why the CUDA backend cannot be used or a CUDA call failed. Every description is one line
/// naming the library or call, where it was looked for, and a hint.
public enum CUDAError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No candidate file of `library` could be opened; `searched` lists the places tried.
    case libraryNotFound(library: String, searched: [String], reason: String)
    /// `library` (opened from `path`) lacks `symbol`.
    case symbolNotFound(symbol: String, library: String, path: String)
    /// The CUDA libraries found belong to different majors.
    case mixedMajors(String)
    /// A driver/cuBLAS/NVRTC call returned a failure status.
    case call(String, status: Int32, message: String)
    /// `--gpu-id` names a device that does not exist.
    case noSuchDevice(id: Int, count: Int)
    /// NVRTC rejected a kernel source; `log` is its compile log.
    case compilation(program: String, log: String)

    public var description: String {
        switch self {
        case .libraryNotFound(let library, let searched, let reason):
            return "CUDA library \(library) not found (searched \(searched.joined(separator: ", ")); last error: \(reason)); "
                + "hint: install the NVIDIA driver and CUDA 13 or 12 toolkit, or set HEBB_CUDA_LIB_DIR to the folder holding it"
        case .symbolNotFound(let symbol, let library, let path):
            return "CUDA library \(library) at \(path) lacks \(symbol); hint: use a CUDA 12 or 13 build of it (HEBB_CUDA_LIB_DIR)"
        case .mixedMajors(let detail):
            return "CUDA libraries of different majors: \(detail); hint: point HEBB_CUDA_LIB_DIR at one toolkit's lib folder"
        case .call(let name, let status, let message):
            return "CUDA call \(name) failed with status \(status) (\(message)); hint: check nvidia-smi and the driver version (≥ 525 for CUDA 12, ≥ 580 for 13)"
        case .noSuchDevice(let id, let count):
            return "--gpu-id \(id): no such CUDA device (\(count) found); hint: use an id in 0..<\(max(count, 1)) or check CUDA_VISIBLE_DEVICES"
        case .compilation(let program, let log):
            let firstLine = log.split(separator: "\n").first { $0.contains("error") } ?? log.split(separator: "\n").first ?? ""
            return "NVRTC could not compile \(program): \(firstLine); hint: this is a bug in hebb's kernel source, please report it"
        }
    }
}
