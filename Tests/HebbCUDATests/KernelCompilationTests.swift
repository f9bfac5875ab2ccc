import Foundation
import XCTest

@testable import HebbCUDA

/// Every kernel compiles with NVRTC where libnvrtc is present (no GPU needed). NVRTC is found
/// through HEBB_NVRTC_DIR / HEBB_CUDA_LIB_DIR, else the venv `scripts/setup-nvrtc.sh` makes
/// (HEBB_NVRTC_VENV, default /tmp/nvrtc-venv), else the system loader; otherwise the test skips.
final class KernelCompilationTests: XCTestCase {
    static func nvrtc() throws -> NVRTCAPI {
        var environment = ProcessInfo.processInfo.environment
        if environment["HEBB_NVRTC_DIR"] == nil {
            let venv = environment["HEBB_NVRTC_VENV"] ?? "/tmp/nvrtc-venv"
            let lib = URL(fileURLWithPath: venv).appendingPathComponent("lib")
            let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
            environment["HEBB_NVRTC_DIR"] = pythons.filter { $0.hasPrefix("python") }.flatMap { python in
                ["cu13", "cuda_nvrtc", "cu12"].map { lib.appendingPathComponent("\(python)/site-packages/nvidia/\($0)/lib").path }
            }.joined(separator: ":")
        }
        do {
            return try NVRTCAPI.load(CUDALibrarySearch(environment: environment))
        } catch {
            throw XCTSkip("NVRTC not available, kernel compilation not checked: \(error) (run scripts/setup-nvrtc.sh)")
        }
    }

    func testEveryKernelCompilesToPTXForAmpereAndHopper() throws {
        let nvrtc = try Self.nvrtc()
        print("NVRTC \(nvrtc.versionString) from \(nvrtc.library.path)")
        for architecture in ["compute_80", "compute_90"] {
            let ptx = try nvrtc.compile(KernelSources.program, name: "hebb_kernels.cu", architecture: architecture)
            let text = String(decoding: ptx.prefix { $0 != 0 }, as: UTF8.self)
            XCTAssertTrue(text.contains(".target sm_\(architecture.dropFirst("compute_".count))"), architecture)
            for kernel in KernelSources.names {
                XCTAssertTrue(text.contains(".entry \(kernel)("), "\(kernel) missing from the \(architecture) PTX")
            }
            print("\(architecture): \(KernelSources.names.count) kernels, \(text.utf8.count) bytes of PTX")
        }
    }

    func testBrokenSourceFailsWithTheCompileLog() throws {
        let nvrtc = try Self.nvrtc()
        XCTAssertThrowsError(try nvrtc.compile("extern \"C\" __global__ void k() { undefined_name = 1; }", name: "broken.cu", architecture: "compute_80")) { error in
            guard case CUDAError.compilation(let program, let log) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(program, "broken.cu")
            XCTAssertTrue(log.contains("undefined_name"), log)
        }
    }

    func testEveryNamedKernelIsDefinedOnceInTheSource() {
        for kernel in KernelSources.names {
            XCTAssertEqual(KernelSources.program.components(separatedBy: "__global__ void \(kernel)(").count, 2, kernel)
        }
        XCTAssertEqual(Set(KernelSources.names).count, KernelSources.names.count)
    }
}
