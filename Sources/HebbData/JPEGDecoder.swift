import CJPEG
import CJPEGShim
import HebbText

/// An 8-bit RGB image, interleaved row-major (H, W, 3).
public struct RGBImage: Equatable, Sendable {
    /// Pixel bytes, (H, W, 3).
    public let pixels: [UInt8]
    /// Width (W).
    public let width: Int
    /// Height (H).
    public let height: Int

    /// Layout of `pixels` for `ImageResampler`.
    public var layout: ImageResampler.Layout { .interleaved(channels: 3, height: height, width: width) }
}

/// JPEG decoding through the system libjpeg(-turbo), as Pillow decodes for torchvision's
/// `ImageFolder` (`Image.open(path).convert("RGB")`): default (islow) DCT, fancy upsampling,
/// grayscale replicated to RGB, CMYK converted like Pillow. Corrupt or truncated files throw
/// `corruptImage`; libjpeg never prints or exits (see `CJPEGShim`).
public enum JPEGDecoder {
    /// Images with more pixels are refused before decoding (ImageNet's largest has ~ 20 MP).
    public static let maximumPixelCount = 1 << 28
    /// Files larger than this are refused before reading.
    public static let maximumFileBytes = 1 << 28
    /// The libjpeg API version linked (62 for Debian's libjpeg62-turbo).
    public static let libraryVersion = Int(JPEG_LIB_VERSION)

    /// Decodes the JPEG file at `url`.
    public static func decode(fileAt url: URL) throws -> RGBImage {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let size = attributes[.size] as? UInt, size > UInt(maximumFileBytes) {
                throw DataError.corruptImage(path: url.path, reason: "\(size) bytes is too large for an image")
            }
            data = try Data(contentsOf: url)
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError.unreadable(path: url.path, reason: DataError.readFailureReason(error))
        }
        return try data.withUnsafeBytes { try decode($0, path: url.path) }
    }

    /// Decodes JPEG bytes held in memory; `path` only labels errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws -> RGBImage {
        try bytes.withUnsafeBytes { try decode($0, path: path) }
    }

    /// Decodes JPEG bytes; `path` only labels errors.
    public static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> RGBImage {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw DataError.corruptImage(path: path, reason: "the file is empty")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = message.withUnsafeMutableBufferPointer { text in
            hebb_jpeg_decode_rgb(
                base.assumingMemoryBound(to: UInt8.self), bytes.count, maximumPixelCount, &output, &width, &height,
                text.baseAddress, text.count)
        }
        defer { hebb_jpeg_free(output) }
        guard status == Int32(HEBB_JPEG_OK), let output else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DataError.corruptImage(path: path, reason: reason.isEmpty ? "libjpeg status \(status)" : reason)
        }
        let count = Int(width) * Int(height) * 3
        let pixels = [UInt8](UnsafeBufferPointer(start: output, count: count))
        return RGBImage(pixels: pixels, width: Int(width), height: Int(height))
    }
}
