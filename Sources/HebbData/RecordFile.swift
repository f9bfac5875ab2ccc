import Foundation

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
        let handle = try open(url)
        defer { try? handle.close() }
        let bytes: UInt64
        do {
            bytes = try handle.seekToEnd()
        } catch {
            throw DataError.unreadable(path: url.path, reason: DataError.readFailureReason(error))
        }
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
        let handle = try open(url)
        defer { try? handle.close() }
        var first = 0
        while first < recordCount {
            let count = min(recordsPerChunk, recordCount - first)
            let wanted = count * recordBytes
            var chunk = Data()
            while chunk.count < wanted {
                let piece: Data?
                do {
                    piece = try handle.read(upToCount: wanted - chunk.count)
                } catch {
                    throw DataError.unreadable(path: url.path, reason: DataError.readFailureReason(error))
                }
                guard let piece, !piece.isEmpty else {
                    throw DataError.truncated(
                        path: url.path, expectedBytes: recordCount * recordBytes,
                        actualBytes: first * recordBytes + chunk.count)
                }
                chunk.append(piece)
            }
            try chunk.withUnsafeBytes { try body($0, first) }
            first += count
        }
    }

    /// Opens `url` for reading.
    private static func open(_ url: URL) throws -> FileHandle {
        do {
            return try FileHandle(forReadingFrom: url)
        } catch {
            throw DataError.unreadable(path: url.path, reason: DataError.readFailureReason(error))
        }
    }
}
