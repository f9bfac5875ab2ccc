import CCUDA

/// CUDA majors tried, newest first; one major is used for cuBLAS and NVRTC together.
public let supportedCUDAMajors = [13, 12]

/// Driver API entry points (libcuda.so.1, part of the NVIDIA driver).
public struct CUDADriverAPI: @unchecked Sendable {
    public let library: DynamicLibrary
    let cuInit: hebb_cuInit_t, cuDriverGetVersion: hebb_cuDriverGetVersion_t
    let cuDeviceGetCount: hebb_cuDeviceGetCount_t, cuDeviceGet: hebb_cuDeviceGet_t
    let cuDeviceGetAttribute: hebb_cuDeviceGetAttribute_t, cuDeviceGetName: hebb_cuDeviceGetName_t
    let cuDevicePrimaryCtxRetain: hebb_cuDevicePrimaryCtxRetain_t, cuCtxSetCurrent: hebb_cuCtxSetCurrent_t
    let cuCtxSynchronize: hebb_cuCtxSynchronize_t
    let cuMemAlloc: hebb_cuMemAlloc_t, cuMemFree: hebb_cuMemFree_t
    let cuMemcpyHtoD: hebb_cuMemcpyHtoD_t, cuMemcpyDtoH: hebb_cuMemcpyDtoH_t, cuMemsetD8: hebb_cuMemsetD8_t
    let cuModuleLoadData: hebb_cuModuleLoadData_t, cuModuleGetFunction: hebb_cuModuleGetFunction_t
    let cuLaunchKernel: hebb_cuLaunchKernel_t, cuGetErrorString: hebb_cuGetErrorString_t

    /// Opens libcuda.so.1 (the driver has no major suffix of the toolkit) and resolves every symbol.
    public static func load(_ search: CUDALibrarySearch) throws(CUDAError) -> CUDADriverAPI {
        let candidates = search.directories.map { "\($0)/libcuda.so.1" } + (search.usesSystemLoader ? ["libcuda.so.1"] : [])
        let opened = DynamicLibrary.open(candidates)
        if let l = opened.library {
            let n = "libcuda.so.1"
            return CUDADriverAPI(
                library: l, cuInit: try l.symbol("cuInit", library: n), cuDriverGetVersion: try l.symbol("cuDriverGetVersion", library: n),
                cuDeviceGetCount: try l.symbol("cuDeviceGetCount", library: n), cuDeviceGet: try l.symbol("cuDeviceGet", library: n),
                cuDeviceGetAttribute: try l.symbol("cuDeviceGetAttribute", library: n),
                cuDeviceGetName: try l.symbol("cuDeviceGetName", library: n),
                cuDevicePrimaryCtxRetain: try l.symbol("cuDevicePrimaryCtxRetain", library: n),
                cuCtxSetCurrent: try l.symbol("cuCtxSetCurrent", library: n), cuCtxSynchronize: try l.symbol("cuCtxSynchronize", library: n),
                cuMemAlloc: try l.symbol("cuMemAlloc_v2", library: n), cuMemFree: try l.symbol("cuMemFree_v2", library: n),
                cuMemcpyHtoD: try l.symbol("cuMemcpyHtoD_v2", library: n), cuMemcpyDtoH: try l.symbol("cuMemcpyDtoH_v2", library: n),
                cuMemsetD8: try l.symbol("cuMemsetD8_v2", library: n),
                cuModuleLoadData: try l.symbol("cuModuleLoadData", library: n),
                cuModuleGetFunction: try l.symbol("cuModuleGetFunction", library: n),
                cuLaunchKernel: try l.symbol("cuLaunchKernel", library: n), cuGetErrorString: try l.symbol("cuGetErrorString", library: n))
        }
        throw .libraryNotFound(library: "libcuda.so.1 (NVIDIA driver)", searched: search.describe(), reason: opened.reason)
    }

    /// Text of a driver status.
    func message(_ status: Int32) -> String {
        var text: UnsafePointer<CChar>?
        _ = cuGetErrorString(status, &text)
        return text.map { String(cString: $0) } ?? "CUresult \(status)"
    }

    /// Throws for a non-zero driver status of `call`.
    func check(_ status: Int32, _ call: String) throws(CUDAError) {
        if status != 0 { throw .call(call, status: status, message: message(status)) }
    }
}

/// cuBLAS entry points (libcublas.so.13 or .so.12; it loads libcublasLt next to itself).
public struct CUBLASAPI: @unchecked Sendable {
    public let library: DynamicLibrary
    /// The CUDA major of the file that opened.
    public let major: Int
    let create: hebb_cublasCreate_t, destroy: hebb_cublasDestroy_t, sgemm: hebb_cublasSgemm_t

    /// Opens cuBLAS of the first of `majors` found.
    public static func load(_ search: CUDALibrarySearch, majors: [Int] = supportedCUDAMajors) throws(CUDAError) -> CUBLASAPI {
        let (l, major) = try search.open("libcublas", majors: majors)
        let n = "libcublas.so.\(major)"
        return CUBLASAPI(
            library: l, major: major, create: try l.symbol("cublasCreate_v2", library: n),
            destroy: try l.symbol("cublasDestroy_v2", library: n), sgemm: try l.symbol("cublasSgemm_v2", library: n))
    }
}

/// NVRTC entry points (libnvrtc.so.13 or .so.12); works without a GPU or driver.
public struct NVRTCAPI: @unchecked Sendable {
    public let library: DynamicLibrary
    /// The CUDA major of the file that opened.
    public let major: Int
    let version: hebb_nvrtcVersion_t, createProgram: hebb_nvrtcCreateProgram_t
    let compileProgram: hebb_nvrtcCompileProgram_t, destroyProgram: hebb_nvrtcDestroyProgram_t
    let getPTXSize: hebb_nvrtcGetSize_t, getPTX: hebb_nvrtcGetText_t
    let getLogSize: hebb_nvrtcGetSize_t, getLog: hebb_nvrtcGetText_t, errorString: hebb_nvrtcGetErrorString_t

    /// Opens NVRTC of the first of `majors` found (HEBB_CUDA_LIB_DIR, HEBB_NVRTC_DIR, loader).
    public static func load(_ search: CUDALibrarySearch, majors: [Int] = supportedCUDAMajors) throws(CUDAError) -> NVRTCAPI {
        let (l, major) = try search.open("libnvrtc", majors: majors, extraDirectories: search.nvrtcDirectories)
        let n = "libnvrtc.so.\(major)"
        return NVRTCAPI(
            library: l, major: major, version: try l.symbol("nvrtcVersion", library: n),
            createProgram: try l.symbol("nvrtcCreateProgram", library: n), compileProgram: try l.symbol("nvrtcCompileProgram", library: n),
            destroyProgram: try l.symbol("nvrtcDestroyProgram", library: n), getPTXSize: try l.symbol("nvrtcGetPTXSize", library: n),
            getPTX: try l.symbol("nvrtcGetPTX", library: n), getLogSize: try l.symbol("nvrtcGetProgramLogSize", library: n),
            getLog: try l.symbol("nvrtcGetProgramLog", library: n), errorString: try l.symbol("nvrtcGetErrorString", library: n))
    }

    /// "major.minor" of the NVRTC library.
    public var versionString: String {
        var (major, minor): (Int32, Int32) = (0, 0)
        _ = version(&major, &minor)
        return "\(major).\(minor)"
    }

    /// Compiles CUDA C `source` to PTX for `architecture` (such as "compute_80").
    public func compile(_ source: String, name: String, architecture: String) throws(CUDAError) -> [UInt8] {
        var program: hebb_nvrtcProgram?
        let created = createProgram(&program, source, name, 0, nil, nil)
        guard created == 0 else { throw .call("nvrtcCreateProgram", status: created, message: text(created)) }
        defer { _ = destroyProgram(&program) }
        let options = ["--gpu-architecture=\(architecture)", "--std=c++17"]
        let cOptions = options.map { strdup($0) }
        defer { cOptions.forEach { free($0) } }
        let status = cOptions.map { UnsafePointer($0) }.withUnsafeBufferPointer {
            compileProgram(program, Int32(options.count), $0.baseAddress)
        }
        guard status == 0 else {
            var size = 0
            _ = getLogSize(program, &size)
            var log = [CChar](repeating: 0, count: max(size, 1))
            _ = getLog(program, &log)
            throw .compilation(program: name, log: text(status) + ": " + string(fromCharacters: log))
        }
        var size = 0
        _ = getPTXSize(program, &size)
        var ptx = [CChar](repeating: 0, count: max(size, 1))
        _ = getPTX(program, &ptx)
        return ptx.map { UInt8(bitPattern: $0) }
    }

    private func text(_ status: Int32) -> String { errorString(status).map { String(cString: $0) } ?? "nvrtcResult \(status)" }
}

#if canImport(Glibc)
import Glibc
#endif
