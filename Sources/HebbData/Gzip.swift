import CZlib
import HebbText

/// Whole-buffer gzip (and zlib) decompression through the system zlib.
public enum Gzip {
    /// Largest initial allocation taken from the gzip trailer's size field (ISIZE); beyond it
    /// the output buffer grows by doubling, so a lying trailer cannot force a huge allocation.
    public static let trustedSizeHintLimit = 256 << 20

    /// Decompresses the whole gzip file at `url` (concatenated members are joined, as gzip does).
    public static func decompress(fileAt url: URL) throws -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataError.unreadable(path: url.path, reason: DataError.readFailureReason(error))
        }
        return try decompress(data, path: url.path)
    }

    /// Decompresses a whole gzip (or zlib) buffer; `path` only labels errors.
    public static func decompress(_ data: Data, path: String = "<memory>") throws -> [UInt8] {
        try data.withUnsafeBytes { try decompress(UnsafeRawBufferPointer($0), path: path) }
    }

    /// Decompresses a whole gzip (or zlib) byte array; `path` only labels errors.
    public static func decompress(_ bytes: [UInt8], path: String = "<memory>") throws -> [UInt8] {
        try bytes.withUnsafeBytes { try decompress($0, path: path) }
    }

    /// Decompresses raw bytes holding one or more gzip members (or one zlib stream).
    public static func decompress(_ input: UnsafeRawBufferPointer, path: String) throws -> [UInt8] {
        guard let inputBase = input.baseAddress, input.count > 0 else {
            throw DataError.corruptGzip(path: path)
        }
        var output = [UInt8](repeating: 0, count: initialCapacity(for: input))
        var produced = 0
        var consumed = 0
        var stream = z_stream()
        // windowBits 15 + 32: accept gzip or zlib headers, detected automatically.
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw DataError.corruptGzip(path: path) }
        defer { inflateEnd(&stream) }

        while true {
            if output.count - produced == 0 {
                output.append(contentsOf: repeatElement(0, count: output.count))
            }
            let inputChunk = min(input.count - consumed, Int(UInt32.max))
            let outputChunk = min(output.count - produced, Int(UInt32.max))
            let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(
                    mutating: inputBase.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(inputChunk)
                stream.next_out = out.baseAddress.map { $0 + produced }
                stream.avail_out = uInt(outputChunk)
                let code = inflate(&stream, Z_NO_FLUSH)
                consumed += inputChunk - Int(stream.avail_in)
                produced += outputChunk - Int(stream.avail_out)
                return code
            }
            switch status {
            case Z_STREAM_END:
                // Another gzip member may follow (as `cat a.gz b.gz` produces).
                if consumed == input.count {
                    output.removeSubrange(produced...)
                    return output
                }
                guard inflateReset(&stream) == Z_OK else { throw DataError.corruptGzip(path: path) }
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: either the output is full (grow it) or the input ended
                // before the end of the stream (truncated file).
                if output.count - produced > 0 { throw DataError.corruptGzip(path: path) }
            default:
                throw DataError.corruptGzip(path: path)
            }
        }
    }

    /// A first guess at the output size: the trailer's ISIZE (size mod 2³²) if plausible,
    /// capped by `trustedSizeHintLimit` and by deflate's best ratio (~1032:1).
    public static func initialCapacity(for input: UnsafeRawBufferPointer) -> Int {
        let fallback = max(4096, input.count &* 4)
        guard input.count >= 18, input[0] == 0x1F, input[1] == 0x8B else { return fallback }
        let n = input.count
        let hint =
            Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        let plausibleMaximum = min(trustedSizeHintLimit, input.count.multipliedReportingOverflow(by: 1032).partialValue)
        guard hint > 0, hint <= plausibleMaximum else { return min(fallback, trustedSizeHintLimit) }
        // One extra byte so that a correct hint finishes without a final grow.
        return hint + 1
    }
}
