import HebbText

/// Reads files made of fixed-size records (CIFAR batches, STL-10 images and labels) in chunks.
///
/// The size is checked before anything is allocated: a file must hold a positive whole number
/// of records, and every allocation derives from that checked count, never from file content.
enum RecordFile {
    /// Records read per chunk when streaming (a few MB at most for every format).
    static let recordsPerChunk = 256

    /// The number of `recordBytes`-byte records in the file at `url`.
    ///
    /// - Throws: `unreadable` when the file cannot be opened, `badRecordSize` when it is empty or
    ///   ends in a partial record (`record` names the record in the message, e.g. "CIFAR-10 record").
    static func recordCount(at url: URL, recordBytes: Int, record: String) throws -> Int {
        let fd = try open(url)
        defer { _ = close(fd) }
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0 else {
            throw DataError.unreadable(path: url.path, reason: DataError.readFailureReason(errno: errno))
        }
        let bytes = UInt64(end)
        guard bytes > 0, bytes % UInt64(recordBytes) == 0, bytes <= UInt64(Int.max) else {
            throw DataError.badRecordSize(
                path: url.path, bytes: Int(clamping: bytes), recordBytes: recordBytes, record: record)
        }
        return Int(bytes) / recordBytes
    }

    /// Calls `body(records, index of the first one)` for consecutive chunks covering the
    /// `recordCount` records of the file, each chunk a whole number of records.
    ///
    /// - Throws: `truncated` when the file is shorter than `recordCount` records (it changed
    ///   since it was measured), `unreadable` on an I/O error, and whatever `body` throws.
    static func forEachChunk(
        at url: URL, recordBytes: Int, recordCount: Int,
        _ body: (_ records: UnsafeRawBufferPointer, _ firstRecord: Int) throws -> Void
    ) throws {
        let fd = try open(url)
        defer { _ = close(fd) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(1, min(recordsPerChunk, recordCount) * recordBytes), alignment: 16)
        defer { chunk.deallocate() }
        var first = 0
        while first < recordCount {
            let count = min(recordsPerChunk, recordCount - first)
            let wanted = count * recordBytes
            var filled = 0
            while filled < wanted {
                let got = read(fd, chunk.baseAddress! + filled, wanted - filled)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw DataError.unreadable(path: url.path, reason: DataError.readFailureReason(errno: errno))
                }
                guard got > 0 else {
                    throw DataError.truncated(
                        path: url.path, expectedBytes: recordCount * recordBytes,
                        actualBytes: first * recordBytes + filled)
                }
                filled += got
            }
            try body(UnsafeRawBufferPointer(rebasing: chunk[..<wanted]), first)
            first += count
        }
    }

    /// Opens `url` for reading: a file descriptor the caller closes.
    private static func open(_ url: URL) throws -> Int32 {
        let fd = systemOpen(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DataError.unreadable(path: url.path, reason: DataError.readFailureReason(errno: errno))
        }
        return fd
    }
}

/// `open(2)`; a free function because `RecordFile.open` shadows the name inside the enum.
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
    open(path, flags)
}
