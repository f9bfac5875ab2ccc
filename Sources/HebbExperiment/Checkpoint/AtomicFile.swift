import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure to persist a file under the data root; `description` is one line with a hint.
public enum PersistenceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A parent directory of the destination could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// Writing, syncing or renaming into place failed; `reason` names the step and the errno text.
    case cannotWrite(path: String, reason: String)
    /// A JSON-lines record contained a newline, which would split it into two records.
    case lineContainsNewline(path: String)

    private static let hint =
        "check free space and permissions of the data root (--data-root / HEBB_DATA)"

    /// One line: what happened, where, and what to try.
    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create directory '\(path)': \(reason); \(Self.hint)"
        case .cannotWrite(let path, let reason):
            return "cannot write '\(path)': \(reason); \(Self.hint)"
        case .lineContainsNewline(let path):
            return "refusing to append to '\(path)': the record contains a newline; "
                + "encode it as single-line JSON"
        }
    }
}

/// Crash-safe file writes: readers see either the old file or the complete new one, never a prefix.
public enum AtomicFile {
    /// Writes `data` to `url` atomically: parent directories are created, the bytes go to a unique
    /// temporary file in the same folder, which is fsynced, renamed over `url`, and the folder is
    /// fsynced. On failure the temporary file is removed and a `PersistenceError` is thrown.
    public static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        try createDirectories(directory)
        let temporary = temporaryPath(for: url)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PersistenceError.cannotWrite(path: path, reason: failure("create temporary file"))
        }
        var closed = false
        do {
            defer { if !closed { _ = close(fd) } }
            try writeAll(data, to: fd, path: path)
            guard fsync(fd) == 0 else {
                throw PersistenceError.cannotWrite(path: path, reason: failure("fsync"))
            }
            closed = true
            guard close(fd) == 0 else {
                throw PersistenceError.cannotWrite(path: path, reason: failure("close"))
            }
            guard rename(temporary, path) == 0 else {
                throw PersistenceError.cannotWrite(path: path, reason: failure("rename into place"))
            }
        } catch {
            _ = unlink(temporary)
            throw error
        }
        try syncDirectory(directory, destination: path)
    }

    /// Appends `line` plus a newline to `url` (created if missing, parents included) with a single
    /// `O_APPEND` write, then fsyncs. `line` must not contain a newline (a trailing one is dropped
    /// before the check). Not a rename: a crash can at worst leave a torn last line.
    public static func appendLine(_ line: String, to url: URL) throws {
        let path = url.path
        var record = line
        if record.hasSuffix("\n") { record.removeLast() }
        guard !record.contains(where: { $0 == "\n" || $0 == "\r\n" }) else {
            throw PersistenceError.lineContainsNewline(path: path)
        }
        try createDirectories(url.deletingLastPathComponent().path)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PersistenceError.cannotWrite(path: path, reason: failure("open for append"))
        }
        var closed = false
        defer { if !closed { _ = close(fd) } }
        try writeAll(Data((record + "\n").utf8), to: fd, path: path)
        guard fsync(fd) == 0 else {
            throw PersistenceError.cannotWrite(path: path, reason: failure("fsync"))
        }
        closed = true
        guard close(fd) == 0 else {
            throw PersistenceError.cannotWrite(path: path, reason: failure("close"))
        }
    }

    /// `.NAME.tmp-<pid>-<random>` next to the destination, so the final rename stays on one device.
    static func temporaryPath(for url: URL) -> String {
        let name = url.lastPathComponent
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(name).tmp-\(getpid())-\(random)").path
    }

    /// `mkdir -p`, reporting the first component that could not be created with its errno text.
    private static func createDirectories(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw PersistenceError.cannotCreateDirectory(
                    path: path, reason: "a file with that name exists")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try createDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw PersistenceError.cannotCreateDirectory(path: path, reason: failure("mkdir"))
        }
    }

    /// Writes every byte, retrying short writes and `EINTR`.
    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw PersistenceError.cannotWrite(path: path, reason: failure("write"))
                }
                offset += written
            }
        }
    }

    /// Fsyncs a directory so a rename inside it survives power loss. Filesystems that cannot sync
    /// directories (`EINVAL`) are tolerated; the rename itself has already happened.
    private static func syncDirectory(_ directory: String, destination: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw PersistenceError.cannotWrite(
                path: destination, reason: failure("open directory for fsync"))
        }
        defer { _ = close(fd) }
        if fsync(fd) != 0 && errno != EINVAL {
            throw PersistenceError.cannotWrite(
                path: destination, reason: failure("fsync directory"))
        }
    }

    /// `"<step>: <strerror(errno)>"`, read immediately after the failing call.
    private static func failure(_ step: String) -> String {
        let code = errno
        return "\(step) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// `write(2)`; a free function because `AtomicFile.write` shadows the name inside the enum.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
