import CZlib
import HebbText

/// A failure to encode a picture; one line with a hint.
public enum PictureError: Error, CustomStringConvertible, Equatable, Sendable {
    /// zlib's `compress2` returned `code`.
    case compressionFailed(code: Int32)

    public var description: String {
        switch self {
        case .compressionFailed(let code):
            return "PNG encoding failed: zlib compress2 returned \(code) (out of memory?); retry with --pictures false"
        }
    }
}

/// CRC-32 (ISO-HDLC, the PNG and gzip checksum) from zlib.
public enum CRC32 {
    /// The CRC-32 of `bytes`, continuing from `previous` (0 to start).
    public static func checksum<Bytes: Collection>(_ bytes: Bytes, previous: UInt32 = 0) -> UInt32 where Bytes.Element == UInt8 {
        let array = Array(bytes)
        return array.withUnsafeBufferPointer { buffer in
            UInt32(crc32(uLong(previous), buffer.baseAddress, uInt(buffer.count)))
        }
    }
}

/// Writes 8-bit grey or RGB images as PNG (ISO/IEC 15948): signature, IHDR, one IDAT holding the
/// zlib stream of the filtered scanlines, IEND. Each scanline gets the filter (None, Sub, Up,
/// Average or Paeth) with the smallest sum of absolute filtered values, the heuristic the PNG
/// specification recommends.
public enum PNGEncoder {
    /// The 8-byte PNG signature.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file of `image`; `level` is zlib's compression level (0…9).
    public static func encode(_ image: RasterImage, level: Int32 = 6) throws -> Data {
        var header = [UInt8]()
        append32(UInt32(image.width), to: &header)
        append32(UInt32(image.height), to: &header)
        header += [8, image.colorType == .gray ? 0 : 2, 0, 0, 0]  // depth, colour type, deflate, filter set 0, no interlace
        var file = Data(signature)
        chunk("IHDR", header, into: &file)
        chunk("IDAT", try compress(filteredScanlines(image), level: level), into: &file)
        chunk("IEND", [], into: &file)
        return file
    }

    /// Every row prefixed by its filter type byte.
    static func filteredScanlines(_ image: RasterImage) -> [UInt8] {
        let bpp = image.channels
        let stride = image.width * bpp
        var out = [UInt8]()
        out.reserveCapacity((stride + 1) * image.height)
        var candidate = [UInt8](repeating: 0, count: stride)
        var best = [UInt8](repeating: 0, count: stride)
        let zeros = [UInt8](repeating: 0, count: stride)
        for row in 0..<image.height {
            let start = row * stride
            let current = Array(image.samples[start..<(start + stride)])
            let previous = row > 0 ? Array(image.samples[(start - stride)..<start]) : zeros
            var (bestType, bestCost) = (UInt8(0), Int.max)
            for type in UInt8(0)...4 {
                var cost = 0
                for i in 0..<stride {
                    let left = i >= bpp ? Int(current[i - bpp]) : 0
                    let up = Int(previous[i])
                    let upLeft = i >= bpp ? Int(previous[i - bpp]) : 0
                    let predicted: Int
                    switch type {
                    case 0: predicted = 0
                    case 1: predicted = left
                    case 2: predicted = up
                    case 3: predicted = (left + up) / 2
                    default: predicted = paeth(left, up, upLeft)
                    }
                    let value = UInt8(truncatingIfNeeded: Int(current[i]) - predicted)
                    candidate[i] = value
                    cost += value < 128 ? Int(value) : 256 - Int(value)
                }
                if cost < bestCost { (bestType, bestCost) = (type, cost); swap(&best, &candidate) }
            }
            out.append(bestType)
            out += best
        }
        return out
    }

    /// The Paeth predictor: whichever of left, up, upper-left is closest to left + up − upLeft.
    static func paeth(_ left: Int, _ up: Int, _ upLeft: Int) -> Int {
        let estimate = left + up - upLeft
        let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
        if a <= b && a <= c { return left }
        return b <= c ? up : upLeft
    }

    /// A zlib stream (RFC 1950) of `bytes`.
    static func compress(_ bytes: [UInt8], level: Int32) throws -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let code = out.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                compress2(destination.baseAddress, &length, source.baseAddress, uLong(source.count), level)
            }
        }
        guard code == Z_OK else { throw PictureError.compressionFailed(code: code) }
        return Array(out[..<Int(length)])
    }

    /// Length, type, data, CRC-32 of type and data.
    private static func chunk(_ type: String, _ data: [UInt8], into file: inout Data) {
        var bytes = [UInt8]()
        append32(UInt32(data.count), to: &bytes)
        let typed = Array(type.utf8) + data
        bytes += typed
        append32(CRC32.checksum(typed), to: &bytes)
        file.append(contentsOf: bytes)
    }

    private static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}
