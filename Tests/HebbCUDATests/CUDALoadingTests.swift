import Foundation
import XCTest

@testable import HebbCUDA

/// Loading the CUDA libraries reports what is missing as a value, on any machine.
final class CUDALoadingTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hebb-cuda-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A search of `folder` only (not the system loader, which may hold CUDA on a GPU box).
    private func folderOnly() -> CUDALibrarySearch {
        var search = CUDALibrarySearch(environment: ["HEBB_CUDA_LIB_DIR": folder.path])
        search.usesSystemLoader = false
        return search
    }

    func testEnvironmentFoldersComeFirstThenSonamesNewestMajorFirst() {
        let search = CUDALibrarySearch(environment: ["HEBB_CUDA_LIB_DIR": "/a:/b", "HEBB_NVRTC_DIR": "/n"])
        XCTAssertEqual(search.directories, ["/a", "/b"])
        XCTAssertEqual(search.nvrtcDirectories, ["/n"])
        XCTAssertEqual(
            search.candidates("libnvrtc", majors: [13, 12], extraDirectories: ["/n"]),
            ["/a/libnvrtc.so.13", "/a/libnvrtc.so.12", "/b/libnvrtc.so.13", "/b/libnvrtc.so.12",
             "/n/libnvrtc.so.13", "/n/libnvrtc.so.12", "libnvrtc.so.13", "libnvrtc.so.12"])
    }

    func testEmptyFolderReportsEachMissingLibraryWithFolderAndHint() {
        let search = folderOnly()
        let attempts: [(String, () throws -> Void)] = [
            ("libcuda.so.1", { _ = try CUDADriverAPI.load(search) }),
            ("libcublas.so.13/libcublas.so.12", { _ = try CUBLASAPI.load(search) }),
            ("libnvrtc.so.13/libnvrtc.so.12", { _ = try NVRTCAPI.load(search) }),
        ]
        for (library, attempt) in attempts {
            XCTAssertThrowsError(try attempt(), library) { error in
                guard case CUDAError.libraryNotFound(let name, let searched, _) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(name.hasPrefix(library), name)
                XCTAssertEqual(searched, [folder.path])
                let text = String(describing: error)
                XCTAssertTrue(text.contains(folder.path) && text.contains("HEBB_CUDA_LIB_DIR"), text)
                XCTAssertFalse(text.contains("\n"), "one line: \(text)")
            }
        }
    }

    func testFakeSharedObjectIsReportedNotLoaded() throws {
        try Data("not an ELF file".utf8).write(to: folder.appendingPathComponent("libnvrtc.so.13"))
        XCTAssertThrowsError(try NVRTCAPI.load(folderOnly())) { error in
            guard case CUDAError.libraryNotFound(_, _, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("libnvrtc.so"), reason)
        }
    }

    func testRealLibraryWithoutTheSymbolsNamesTheMissingSymbol() throws {
        let zlib = ["/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/libz.so.1"]
            .first { FileManager.default.fileExists(atPath: $0) }
        guard let zlib else { throw XCTSkip("no libz.so.1 to stand in for a CUDA library") }
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: zlib).resolvingSymlinksInPath().path, toPath: folder.appendingPathComponent("libcublas.so.12").path)
        XCTAssertThrowsError(try CUBLASAPI.load(folderOnly())) { error in
            XCTAssertEqual(
                error as? CUDAError,
                .symbolNotFound(symbol: "cublasCreate_v2", library: "libcublas.so.12", path: folder.appendingPathComponent("libcublas.so.12").path))
            XCTAssertTrue(String(describing: error).contains("lacks cublasCreate_v2"))
        }
    }

    func testBackendWithoutDriverFailsWithOneLineNamingTheDriver() throws {
        do {
            _ = try CUDABackend(deviceID: 0, environment: ["HEBB_CUDA_LIB_DIR": folder.path])
            throw XCTSkip("a CUDA driver and libraries are installed here: the backend opened")
        } catch let error as CUDAError {
            let text = error.description
            XCTAssertFalse(text.contains("\n"), text)
            XCTAssertTrue(text.contains("CUDA"), text)
            if case .libraryNotFound(let library, let searched, _) = error {
                XCTAssertTrue(library.hasPrefix("libcuda.so.1") || library.hasPrefix("libcublas") || library.hasPrefix("libnvrtc"), library)
                XCTAssertEqual(searched.first, folder.path)
            }
        }
    }

    func testNoSuchDeviceNamesTheOption() {
        let text = CUDAError.noSuchDevice(id: 3, count: 1).description
        XCTAssertTrue(text.hasPrefix("--gpu-id 3: no such CUDA device (1 found)"), text)
    }
}
