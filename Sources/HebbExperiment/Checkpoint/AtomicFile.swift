import HebbData
import HebbText

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
    /// The data root does not exist and neither does its parent, so it is not created (a typo in
    /// `--data-root` should not grow a directory tree).
    case missingParent(path: String, parent: String)

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
        case .missingParent(let path, let parent):
            return "data root '\(path)' does not exist and neither does its parent '\(parent)'; "
                + "create the parent or fix --data-root / HEBB_DATA"
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
        removeStaleTemporaries(in: url.deletingLastPathComponent(), name: url.lastPathComponent)
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

    /// Appends `line` plus a newline to `url` (created if missing, parents included) by rewriting
    /// the whole file through `write`: a crash leaves the old records or the old records plus the
    /// new one, never a torn line. `line` must not contain a newline (a trailing one is dropped
    /// before the check). An unterminated tail left by another writer is dropped, since it is not a
    /// whole record. The cost is linear in the file size, which is fine for one line per epoch.
    public static func appendLine(_ line: String, to url: URL) throws {
        var record = line
        if record.hasSuffix("\n") { record.removeLast() }
        guard !record.contains(where: { $0 == "\n" || $0 == "\r\n" }) else {
            throw PersistenceError.lineContainsNewline(path: url.path)
        }
        var data = try wholeLines(of: url)
        data.append(contentsOf: Array((record + "\n").utf8))
        try write(data, to: url)
    }

    /// Appends `bytes` to `url` (created if missing) by rewriting the whole file through `write`,
    /// so a crash leaves the old content or the old content plus all of `bytes`.
    public static func append(_ bytes: Data, to url: URL) throws {
        var data = Data()
        if FileManager.default.fileExists(atPath: url.path) {
            do { data = try Data(contentsOf: url) } catch {
                throw PersistenceError.cannotWrite(
                    path: url.path, reason: "reading it before appending failed: \(DataError.readFailureReason(error))")
            }
        }
        data.append(bytes)
        try write(data, to: url)
    }

    /// Keeps the first `count` lines of `url` (fewer if it has fewer), rewriting it atomically only
    /// when something is cut; returns how many lines it holds afterwards (0 when it is missing).
    @discardableResult
    public static func keepLines(_ count: Int, of url: URL) throws -> Int {
        guard FileManager.default.fileExists(atPath: url.path) else { return 0 }
        let data = try wholeLines(of: url)
        var kept = 0
        var end = data.startIndex
        while kept < count, let newline = data[end...].firstIndex(of: UInt8(ascii: "\n")) {
            end = data.index(after: newline)
            kept += 1
        }
        let original = (try? Data(contentsOf: url).count) ?? 0
        if end != data.endIndex || data.count != original { try write(data[..<end], to: url) }
        return kept
    }

    /// The complete lines of `url` (up to and including its last newline); empty when missing.
    private static func wholeLines(of url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { return Data() }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PersistenceError.cannotWrite(
                path: url.path, reason: "reading it before appending failed: \(DataError.readFailureReason(error))")
        }
        guard let last = data.lastIndex(of: UInt8(ascii: "\n")) else { return Data() }
        return data[...last]
    }

    /// Fails unless files can be created in `directory` (created first, parents included): writes
    /// and removes an empty probe file, so a read-only data root is reported before training.
    public static func checkWritable(_ directory: URL) throws {
        let path = directory.path
        try createDirectories(path)
        let probe = temporaryPath(for: directory.appendingPathComponent(".hebb-write-probe"))
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PersistenceError.cannotWrite(path: path, reason: failure("create a file"))
        }
        _ = close(fd)
        _ = unlink(probe)
    }

    /// `.NAME.tmp-<pid>-<random>` next to the destination, so the final rename stays on one device.
    static func temporaryPath(for url: URL) -> String {
        let name = url.lastPathComponent
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(name).tmp-\(getpid())-\(random)").path
    }

    /// Removes temporary files in `directory` left by writers that were killed before their
    /// rename (`.NAME.tmp-<pid>-<random>` whose process no longer exists); only those of
    /// destination `name` when given. Files of live processes, ours included, are left alone.
    public static func removeStaleTemporaries(in directory: URL, name: String? = nil) {
        let prefix = name.map { ".\($0).tmp-" }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return }
        for entry in entries where entry.hasPrefix(".") {
            if let prefix, !entry.hasPrefix(prefix) { continue }
            guard let marker = entry.ranges(of: ".tmp-").last else { continue }
            let fields = entry[marker.upperBound...].split(separator: "-")
            guard fields.count == 2, let pid = Int32(fields[0]), pid > 0, pid != getpid(),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            _ = unlink(directory.appendingPathComponent(entry).path)
        }
    }

    /// `mkdir -p`, reporting the first component that could not be created with its errno text.
    private static func createDirectories(_ path: String) throws {
        if let isDirectory = isFolder(atPath: path) {
            guard isDirectory else {
                throw PersistenceError.cannotCreateDirectory(
                    path: path, reason: "a file with that name exists")
            }
            return
        }
        let parent = PathText.deletingLastComponent(path)
        if !parent.isEmpty && parent != path { try createDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw PersistenceError.cannotCreateDirectory(path: path, reason: failure("mkdir"))
        }
    }

    /// Writes every byte, retrying short writes and `EINTR`.
    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        guard data.withUnsafeBytes({ HebbText.writeAll($0, to: fd) }) else {
            throw PersistenceError.cannotWrite(path: path, reason: failure("write"))
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
