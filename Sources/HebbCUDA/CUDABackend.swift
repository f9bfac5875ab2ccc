import CCUDA
import HebbTensor

/// The CUDA backend: device memory and launches through the driver API (libcuda.so.1), sgemm
/// through cuBLAS, the rule kernels of `KernelSources` compiled once by NVRTC to PTX for the
/// device's architecture. Everything runs on the default stream, so calls are ordered; only
/// downloads wait. cuBLAS and NVRTC must come from one CUDA major.
public final class CUDABackend: Backend, @unchecked Sendable {
    public let name: String
    let driver: CUDADriverAPI
    let blas: CUBLASAPI
    let nvrtc: NVRTCAPI
    private let handle: hebb_cublasHandle?
    private let functions: [String: hebb_CUfunction]

    /// Opens the libraries, selects device `deviceID`, compiles the kernels. Throws a `CUDAError`
    /// naming what was missing; never traps.
    public init(deviceID: Int, environment: [String: String]) throws(CUDAError) {
        let search = CUDALibrarySearch(environment: environment)
        driver = try CUDADriverAPI.load(search)
        try driver.check(driver.cuInit(0), "cuInit")
        var count: Int32 = 0
        try driver.check(driver.cuDeviceGetCount(&count), "cuDeviceGetCount")
        guard deviceID >= 0 && deviceID < Int(count) else { throw .noSuchDevice(id: deviceID, count: Int(count)) }
        var device: Int32 = 0
        try driver.check(driver.cuDeviceGet(&device, Int32(deviceID)), "cuDeviceGet")
        var (major, minor): (Int32, Int32) = (0, 0)
        try driver.check(driver.cuDeviceGetAttribute(&major, 75, device), "cuDeviceGetAttribute(compute capability major)")
        try driver.check(driver.cuDeviceGetAttribute(&minor, 76, device), "cuDeviceGetAttribute(compute capability minor)")
        var deviceName = [CChar](repeating: 0, count: 128)
        _ = driver.cuDeviceGetName(&deviceName, 127, device)
        var context: hebb_CUcontext?
        try driver.check(driver.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain")
        try driver.check(driver.cuCtxSetCurrent(context), "cuCtxSetCurrent")
        blas = try CUBLASAPI.load(search)
        nvrtc = try NVRTCAPI.load(search, majors: [blas.major])
        var handle: hebb_cublasHandle?
        let created = blas.create(&handle)
        guard created == 0 else { throw .call("cublasCreate_v2", status: created, message: "cuBLAS status \(created)") }
        self.handle = handle
        let ptx = try nvrtc.compile(KernelSources.program, name: "hebb_kernels.cu", architecture: "compute_\(major)\(minor)")
        var module: hebb_CUmodule?
        let driver = driver
        let loaded = ptx.withUnsafeBytes { driver.cuModuleLoadData(&module, $0.baseAddress) }
        try driver.check(loaded, "cuModuleLoadData")
        var functions: [String: hebb_CUfunction] = [:]
        for kernel in KernelSources.names {
            var function: hebb_CUfunction?
            try driver.check(driver.cuModuleGetFunction(&function, module, kernel), "cuModuleGetFunction(\(kernel))")
            functions[kernel] = function
        }
        self.functions = functions
        name = "cuda:\(deviceID) \(string(fromCharacters: deviceName)) (sm_\(major)\(minor), cuBLAS/NVRTC \(blas.major), NVRTC \(nvrtc.versionString))"
    }

    deinit { _ = blas.destroy(handle) }

    public func allocate(bytes: Int) throws -> DeviceBuffer {
        var address: hebb_CUdeviceptr = 0
        try driver.check(driver.cuMemAlloc(&address, max(bytes, 4)), "cuMemAlloc(\(bytes) bytes)")
        let driver = driver
        return DeviceBuffer(bytes: bytes, address: address) { _ = driver.cuMemFree($0) }
    }

    public func upload(_ source: UnsafeRawBufferPointer, to buffer: DeviceBuffer, offset: Int) throws {
        precondition(offset + source.count <= buffer.bytes, "upload of \(source.count) bytes at \(offset) into \(buffer.bytes)")
        guard source.count > 0 else { return }
        try driver.check(driver.cuMemcpyHtoD(buffer.address + UInt64(offset), source.baseAddress, source.count), "cuMemcpyHtoD")
    }

    public func download(_ buffer: DeviceBuffer, offset: Int, into destination: UnsafeMutableRawBufferPointer) throws {
        precondition(offset + destination.count <= buffer.bytes, "download of \(destination.count) bytes at \(offset) from \(buffer.bytes)")
        guard destination.count > 0 else { return }
        try driver.check(driver.cuMemcpyDtoH(destination.baseAddress, buffer.address + UInt64(offset), destination.count), "cuMemcpyDtoH")
    }

    public func zero(_ buffer: DeviceBuffer, bytes: Int) throws {
        try driver.check(driver.cuMemsetD8(buffer.address, 0, bytes), "cuMemsetD8")
    }

    public func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: DeviceBuffer, lda: Int, b: DeviceBuffer, ldb: Int, beta: Float, c: DeviceBuffer, ldc: Int
    ) throws {
        if m == 0 || n == 0 { return }
        // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands.
        var (alpha, beta) = (alpha, beta)
        let status = blas.sgemm(
            handle, transposeB == .none ? 0 : 1, transposeA == .none ? 0 : 1, Int32(n), Int32(m), Int32(k), &alpha,
            floats(b), Int32(ldb), floats(a), Int32(lda), &beta, UnsafeMutablePointer(mutating: floats(c)), Int32(ldc))
        guard status == 0 else { throw CUDAError.call("cublasSgemm_v2", status: status, message: "cuBLAS status \(status)") }
    }

    public func gatherRows(_ source: DeviceBuffer, indices: DeviceBuffer, offset: Int, rows: Int, columns: Int, into out: DeviceBuffer) throws {
        try launch("hebb_gather_rows", .elementwise(count: rows * columns), [
            .pointer(source.address), .pointer(indices.address), .count(offset), .count(rows), .count(columns), .pointer(out.address)])
    }

    public func signedPower(_ x: DeviceBuffer, count: Int, power: Float, into out: DeviceBuffer) throws {
        try launch("hebb_signed_power", .elementwise(count: count), [.pointer(x.address), .count(count), .float(power), .pointer(out.address)])
    }

    public func softWinnerTakeAll(_ u: DeviceBuffer, rows: Int, columns: Int, inverseTemperature: Float, antiHebbian: Bool, into y: DeviceBuffer) throws {
        try launch("hebb_soft_wta", .perRow(rows: rows), [
            .pointer(u.address), .count(rows), .count(columns), .float(inverseTemperature), .int(antiHebbian ? 1 : 0), .pointer(y.address)])
    }

    public func rankingSignal(_ u: DeviceBuffer, rows: Int, columns: Int, k: Int, strength: Float, into y: DeviceBuffer) throws {
        try launch("hebb_ranking_signal", .perRow(rows: rows), [
            .pointer(u.address), .count(rows), .count(columns), .count(k), .float(strength), .pointer(y.address)])
    }

    public func decayCoefficients(signal y: DeviceBuffer, currents u: DeviceBuffer, rows: Int, columns: Int, into decay: DeviceBuffer) throws {
        if rows > Self.chunkedReductionRows { return try decayCoefficientsInChunks(signal: y, currents: u, rows: rows, columns: columns, into: decay) }
        try launch("hebb_decay", .perColumn(columns: columns), [
            .pointer(y.address), .pointer(u.address), .count(rows), .count(columns), .pointer(decay.address)])
    }

    public func subtractDecay(_ delta: DeviceBuffer, decay: DeviceBuffer, weights: DeviceBuffer, units: Int, fanIn: Int) throws {
        try launch("hebb_subtract_decay", .elementwise(count: units * fanIn), [
            .pointer(delta.address), .pointer(decay.address), .pointer(weights.address), .count(units), .count(fanIn)])
    }

    public func maxAbsolute(_ x: DeviceBuffer, count: Int, into out: DeviceBuffer) throws {
        try zero(out, bytes: 4)
        try launch("hebb_max_abs", .elementwise(count: count), [.pointer(x.address), .count(count), .pointer(out.address)])
    }

    public func normalisedUpdate(
        _ weights: DeviceBuffer, delta: DeviceBuffer, maxAbsolute: DeviceBuffer, rates: DeviceBuffer?, rate: Float,
        units: Int, fanIn: Int
    ) throws {
        try launch("hebb_update", .elementwise(count: units * fanIn), [
            .pointer(weights.address), .pointer(delta.address), .pointer(maxAbsolute.address), .pointer(rates?.address ?? 0),
            .float(rate), .count(units), .count(fanIn)])
    }

    public func radii(_ weights: DeviceBuffer, units: Int, fanIn: Int, power: Float, into radii: DeviceBuffer) throws {
        try launch("hebb_radii", .perRow(rows: units), [
            .pointer(weights.address), .count(units), .count(fanIn), .float(power), .pointer(radii.address)])
    }

    public func adaptiveRates(radii: DeviceBuffer, units: Int, base: Float, power: Float, into rates: DeviceBuffer) throws {
        try launch("hebb_adaptive_rates", .perColumn(columns: units), [
            .pointer(radii.address), .count(units), .float(base), .float(power), .pointer(rates.address)])
    }

    public func accumulateTally(signal y: DeviceBuffer, currents u: DeviceBuffer, rows: Int, columns: Int, into tally: DeviceBuffer) throws {
        if rows > Self.chunkedReductionRows { return try accumulateTallyInChunks(signal: y, currents: u, rows: rows, columns: columns, into: tally) }
        try launch("hebb_tally", .perColumn(columns: columns), [
            .pointer(y.address), .pointer(u.address), .count(rows), .count(columns), .pointer(tally.address)])
    }

    public func unfold(_ x: DeviceBuffer, batch: Int, geometry g: ConvolutionGeometry, into patches: DeviceBuffer) throws {
        let count = batch * g.positions * g.inputChannels * g.kernelSize * g.kernelSize
        try launch("hebb_unfold", .elementwise(count: count), [
            .pointer(x.address), .count(batch), .count(g.inputChannels), .count(g.inputHeight), .count(g.inputWidth),
            .count(g.kernelSize), .count(g.stride), .count(g.padding), .count(g.dilation), .int(g.paddingMode == .reflect ? 1 : 0),
            .count(g.outputHeight), .count(g.outputWidth), .pointer(patches.address)])
    }

    /// Launches `kernel` on the default stream (asynchronous; errors of the launch itself throw).
    func launch(_ kernel: String, _ configuration: LaunchConfiguration, _ arguments: [KernelArgument]) throws {
        guard configuration.blocks > 0 else { return }
        guard let function = functions[kernel] else { preconditionFailure("kernel \(kernel) is not in KernelSources.names") }
        let status = KernelArgument.withParameterArray(arguments) { parameters in
            driver.cuLaunchKernel(
                function, UInt32(configuration.blocks), 1, 1, UInt32(configuration.threads), 1, 1, 0, nil, parameters, nil)
        }
        try driver.check(status, "cuLaunchKernel(\(kernel))")
    }

    func floats(_ buffer: DeviceBuffer) -> UnsafePointer<Float>? { UnsafePointer(bitPattern: UInt(buffer.address)) }
}
