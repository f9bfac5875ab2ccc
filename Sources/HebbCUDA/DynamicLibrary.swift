#if canImport(Glibc)
import Glibc
#endif

/// A library opened with dlopen (never closed: CUDA libraries expect to stay loaded).
public struct DynamicLibrary: @unchecked Sendable {
    /// The dlopen handle.
    let handle: UnsafeMutableRawPointer
    /// The file name or path that opened.
    public let path: String

    /// Opens the first candidate that loads (a path, or a soname for the loader's own search).
    /// On failure returns the last dlerror text.
    static func open(_ candidates: [String]) -> (library: DynamicLibrary?, reason: String) {
        var reason = "no candidates"
        for candidate in candidates {
            if let handle = dlopen(candidate, RTLD_NOW | RTLD_LOCAL) {
                return (DynamicLibrary(handle: handle, path: candidate), "")
            }
            reason = dlerror().map { String(cString: $0) } ?? "dlopen(\(candidate)) failed"
        }
        return (nil, reason)
    }

    /// The C function `name`, typed as `T` (a `@convention(c)` function type from CCUDA).
    func symbol<T>(_ name: String, as type: T.Type = T.self, library: String) throws(CUDAError) -> T {
        _ = dlerror()
        guard let pointer = dlsym(handle, name) else {
            throw .symbolNotFound(symbol: name, library: library, path: path)
        }
        return unsafeBitCast(pointer, to: T.self)
    }
}

/// Where the CUDA libraries are looked for: `HEBB_CUDA_LIB_DIR` (colon-separated folders) first,
/// then, for NVRTC only, `HEBB_NVRTC_DIR`, then the system loader (LD_LIBRARY_PATH, ld.so.cache).
public struct CUDALibrarySearch: Sendable, Equatable {
    /// Folders searched before the loader's own search.
    public var directories: [String]
    /// Extra folders for NVRTC (the PyPI wheel's lib folder in tests).
    public var nvrtcDirectories: [String]
    /// Whether bare sonames are tried through the system loader after the folders.
    public var usesSystemLoader = true

    /// The search an environment asks for.
    public init(environment: [String: String]) {
        func folders(_ key: String) -> [String] {
            (environment[key] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        directories = folders("HEBB_CUDA_LIB_DIR")
        nvrtcDirectories = folders("HEBB_NVRTC_DIR")
    }

    /// Candidate files for `base` (such as "libnvrtc") of CUDA `majors`, in search order.
    public func candidates(_ base: String, majors: [Int], extraDirectories: [String] = []) -> [String] {
        let names = majors.map { "\(base).so.\($0)" }
        let folders = directories + extraDirectories
        return folders.flatMap { folder in names.map { "\(folder)/\($0)" } } + (usesSystemLoader ? names : [])
    }

    /// The places searched, for error messages.
    public func describe(extraDirectories: [String] = []) -> [String] {
        (directories + extraDirectories) + (usesSystemLoader ? ["the system loader path (LD_LIBRARY_PATH, ld.so.cache)"] : [])
    }

    /// Opens `base` of the first major in `majors` that loads; returns it with that major.
    func open(_ base: String, majors: [Int], extraDirectories: [String] = []) throws(CUDAError) -> (DynamicLibrary, Int) {
        var reason = ""
        for major in majors {
            let opened = DynamicLibrary.open(candidates(base, majors: [major], extraDirectories: extraDirectories))
            if let library = opened.library { return (library, major) }
            reason = opened.reason
        }
        let names = majors.map { "\(base).so.\($0)" }.joined(separator: "/")
        throw .libraryNotFound(library: names, searched: describe(extraDirectories: extraDirectories), reason: reason)
    }
}

/// A NUL-terminated C character buffer as a String.
func string(fromCharacters buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
