import HebbText

/// An IDX file (LeCun's MNIST format) holding unsigned bytes.
///
/// Layout: magic `00 00 TT DD` (TT = element type, 0x08 for uint8; DD = number of dimensions),
/// then DD big-endian UInt32 extents, then the elements row-major. MNIST images are idx3
/// (N, 28, 28) and labels idx1 (N).
public struct IDXFile: Sendable {
    /// The element type code for unsigned bytes, the only one the datasets use.
    public static let unsignedByteType: UInt8 = 0x08

    /// Extents, outermost first.
    public let dimensions: [Int]
    /// The elements, row-major; exactly the product of `dimensions` bytes.
    public let payload: [UInt8]
    /// Where the bytes came from (for error messages).
    public let path: String

    /// Parses uncompressed IDX bytes, requiring element type uint8 and `dimensionCount` axes.
    ///
    /// The payload must be exactly as long as the dimensions say: shorter is `truncated`,
    /// longer is `trailingBytes`. Extents are checked against the actual byte count before
    /// anything is allocated, so a damaged header cannot trigger a huge allocation.
    public init(bytes: [UInt8], expectedDimensionCount dimensionCount: Int, path: String) throws {
        let expectedMagic = [0, 0, Self.unsignedByteType, UInt8(truncatingIfNeeded: dimensionCount)]
        guard bytes.count >= 4 else {
            throw DataError.truncated(path: path, expectedBytes: 4 + 4 * dimensionCount, actualBytes: bytes.count)
        }
        let magic = Array(bytes[0..<4])
        guard magic == expectedMagic else {
            throw DataError.badMagic(
                expected: Self.hex(expectedMagic) + " (IDX, uint8, \(dimensionCount)-d)",
                found: Self.hex(magic), path: path)
        }
        let headerBytes = 4 + 4 * dimensionCount
        guard bytes.count >= headerBytes else {
            throw DataError.truncated(path: path, expectedBytes: headerBytes, actualBytes: bytes.count)
        }
        var dimensions = [Int]()
        for axis in 0..<dimensionCount {
            let p = 4 + 4 * axis
            dimensions.append(
                Int(bytes[p]) << 24 | Int(bytes[p + 1]) << 16 | Int(bytes[p + 2]) << 8 | Int(bytes[p + 3]))
        }
        // Each extent is < 2³², so the running product overflows only past Int.max; stop as soon
        // as it exceeds what the file could possibly hold.
        var elementCount = 1
        for extent in dimensions {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= Int.max - headerBytes else {
                throw DataError.dimensionsTooLarge(path: path, dimensions: dimensions, actualBytes: bytes.count)
            }
            elementCount = product
        }
        let expectedBytes = headerBytes + elementCount
        if bytes.count < expectedBytes {
            throw DataError.truncated(path: path, expectedBytes: expectedBytes, actualBytes: bytes.count)
        }
        if bytes.count > expectedBytes {
            throw DataError.trailingBytes(path: path, expectedBytes: expectedBytes, actualBytes: bytes.count)
        }
        self.dimensions = dimensions
        self.payload = Array(bytes[headerBytes...])
        self.path = path
    }

    /// Reads and parses `url`, or `url.gz` when `url` itself does not exist.
    public static func read(at url: URL, expectedDimensionCount: Int) throws -> IDXFile {
        let (bytes, path) = try readUncompressedBytes(at: url)
        return try IDXFile(bytes: bytes, expectedDimensionCount: expectedDimensionCount, path: path)
    }

    /// The uncompressed bytes of `url` (gunzipped when its name ends in `.gz`), falling back to
    /// `url.gz` when `url` does not exist; also returns the path actually read.
    public static func readUncompressedBytes(at url: URL) throws -> (bytes: [UInt8], path: String) {
        let fileManager = FileManager.default
        var source = url
        if !fileManager.fileExists(atPath: url.path) {
            let compressed = URL(fileURLWithPath: url.path + ".gz")
            guard fileManager.fileExists(atPath: compressed.path) else {
                throw DataError.unreadable(path: url.path, reason: "no such file (nor \(compressed.lastPathComponent))")
            }
            source = compressed
        }
        if source.pathExtension == "gz" {
            return (try Gzip.decompress(fileAt: source), source.path)
        }
        do {
            let data = try Data(contentsOf: source)
            return ([UInt8](data), source.path)
        } catch {
            throw DataError.unreadable(path: source.path, reason: DataError.readFailureReason(error))
        }
    }

    /// Bytes as space-separated two-digit hex, e.g. `00 00 08 03`.
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
    }
}
