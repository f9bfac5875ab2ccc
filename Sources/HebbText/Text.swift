#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The few text and file-descriptor helpers the hebb executable needs that FoundationEssentials
// lacks (String(format:), trimming, padding, path strings, FileHandle writes), so no module the
// executable links imports full Foundation and a static build carries no ICU data.

/// `format` filled in by C `vsnprintf`: the same text as Foundation's `String(format:)` for the
/// numeric conversions (`%d`, `%3d`, `%02d`, `%.2f`, `%.3e`, `%.4g`, `%%`). Arguments must be C
/// scalars (Int, Int32, Double, …): Swift strings go into the text by interpolation, not `%@`.
public func cFormat(_ format: String, _ arguments: CVarArg...) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    // A va_list is consumed by one vsnprintf, so a longer text is formatted again from a new one.
    while true {
        let capacity = buffer.count
        let needed = buffer.withUnsafeMutableBufferPointer { out in
            withVaList(arguments) { vsnprintf(out.baseAddress, capacity, format, $0) }
        }
        precondition(needed >= 0, "invalid format '\(format)'")
        if Int(needed) < capacity {
            return String(decoding: buffer.prefix(Int(needed)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        buffer = [CChar](repeating: 0, count: Int(needed) + 1)
    }
}

extension String {
    /// This text without the leading and trailing scalars `isTrimmed` accepts (Foundation's
    /// `trimmingCharacters(in:)`).
    public func trimming(_ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
            let last = scalars.lastIndex(where: { !isTrimmed($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// This text without leading and trailing spaces and tabs (Foundation's
    /// `trimmingCharacters(in: .whitespaces)`: tab and the Unicode space separators).
    public var trimmingWhitespace: String {
        trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// This text cut or padded with spaces to `length` UTF-16 units (Foundation's
    /// `padding(toLength: length, withPad: " ", startingAt: 0)`).
    public func padded(toLength length: Int) -> String {
        let count = utf16.count
        if count < length { return self + String(repeating: " ", count: length - count) }
        return String(utf16.prefix(length)) ?? String(prefix(length))
    }
}

/// Path strings split and joined as NSString does for the cases hebb meets (no URL, no file
/// system access).
public enum PathText {
    /// The last component of `path`, trailing slashes ignored: `a/b/` → `b`, `/` → `/`, `` → ``.
    public static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return trimmed }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `path` without its last component: `a/b` → `a`, `/a` → `/`, `a` → ``, `/` → `/`.
    public static func deletingLastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return trimmed }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let parent = withoutTrailingSlashes(String(trimmed[..<slash]))
        return parent.isEmpty ? "/" : parent
    }

    /// `component` appended to `path` with one slash between: `/home/x` + `d` → `/home/x/d`.
    public static func appending(_ component: String, to path: String) -> String {
        if path.isEmpty { return component }
        let base = withoutTrailingSlashes(path)
        return base == "/" ? "/" + component : base + "/" + component
    }

    /// `path` without trailing slashes, except a lone `/`.
    private static func withoutTrailingSlashes(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

/// Whether `path` is a folder, symbolic links followed; nil when nothing can be found there (as
/// `FileManager.fileExists(atPath:isDirectory:)`, whose `ObjCBool` FoundationEssentials lacks).
public func isFolder(atPath path: String) -> Bool? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return status.st_mode & S_IFMT == S_IFDIR
}

/// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`; false on another error,
/// with `errno` set by the failing `write(2)`.
public func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    var offset = 0
    while offset < bytes.count {
        let written = write(fd, base + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += written
    }
    return true
}

/// Writes `text` as UTF-8 to `fd` (standard output or error), unbuffered like `FileHandle.write`;
/// a failed write is ignored.
public func writeText(_ text: String, to fd: Int32) {
    var text = text
    _ = text.withUTF8 { writeAll(UnsafeRawBufferPointer($0), to: fd) }
}
