import HebbText
import HebbData
import HebbTensor

/// A failure to read or write a safetensors checkpoint; `description` is one line with a hint.

/// Named float tensors plus string metadata in the safetensors format (Hugging Face): an 8-byte
/// little-endian header length N, N bytes of space-padded JSON, then the contiguous raw data.
public struct SafeTensorsArchive: Equatable, Sendable {
    /// Tensors by name; written as F32 in sorted-name order.
    public var tensors: [String: Tensor]
    /// Free-form `__metadata__` strings (omitted from the file when empty).
    public var metadata: [String: String]

    /// Largest header accepted on read (the Python reference uses the same 100 MB limit).
    public static let maximumHeaderBytes = 100_000_000
    private static let metadataKey = "__metadata__"

    /// An archive holding `tensors` and `metadata`.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates the file at `url`; every failure is a `CheckpointError` naming the path.
    public static func load(from url: URL) throws -> SafeTensorsArchive {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            let reason = exists ? DataError.readFailureReason(error) : "no such file"
            throw CheckpointError.cannotRead(path: url.path, reason: reason)
        }
        return try SafeTensorsArchive(decoding: data, path: url.path)
    }

    /// Writes the archive to `url` atomically (see `AtomicFile.write`).
    public func save(to url: URL) throws {
        try AtomicFile.write(encoded(path: url.path), to: url)
    }

    /// The archive as safetensors bytes (all tensors F32).
    public func encoded() throws -> Data {
        try encoded(path: "(in-memory archive)")
    }

    private func encoded(path: String) throws -> Data {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }
                .map { "\(Self.jsonString($0.key)):\(Self.jsonString($0.value))" }
            fields.append("\(Self.jsonString(Self.metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        let ordered = tensors.sorted { $0.key < $1.key }
        var offset = 0
        for (name, tensor) in ordered {
            guard name != Self.metadataKey else {
                throw CheckpointError.invalidEntry(
                    path: path, tensor: name, reason: "the name is reserved for metadata")
            }
            let end = offset + tensor.scalars.count * 4
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(
                "\(Self.jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        let padding = (8 - header.count % 8) % 8
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for (_, tensor) in ordered {
            #if _endian(little)
                tensor.scalars.withUnsafeBytes { data.append(contentsOf: $0) }
            #else
                for value in tensor.scalars {
                    let bits = value.bitPattern.littleEndian
                    withUnsafeBytes(of: bits) { data.append(contentsOf: $0) }
                }
            #endif
        }
        return data
    }

    /// One validated header entry.
    private struct Entry {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    /// Parses and validates safetensors bytes; `path` is only used in error messages.
    public init(decoding data: Data, path: String) throws {
        self = try data.withUnsafeBytes { try Self.decode($0, path: path) }
    }

    private static func decode(
        _ bytes: UnsafeRawBufferPointer, path: String
    ) throws -> SafeTensorsArchive {
        guard bytes.count >= 8 else {
            throw CheckpointError.truncated(path: path, expectedBytes: 8, actualBytes: bytes.count)
        }
        let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(maximumHeaderBytes) else {
            throw CheckpointError.invalidHeaderLength(
                path: path, length: length, fileBytes: bytes.count)
        }
        let headerEnd = 8 + Int(length)
        guard headerEnd <= bytes.count else {
            throw CheckpointError.truncated(
                path: path, expectedBytes: headerEnd, actualBytes: bytes.count)
        }
        let root: JSONValue
        do {
            root = try GuardedJSON.decode(JSONValue.self, from: Data(UnsafeRawBufferPointer(rebasing: bytes[8..<headerEnd])))
        } catch {
            throw CheckpointError.invalidHeader(path: path, reason: "not valid UTF-8 JSON")
        }
        guard case .object(let header) = root else {
            throw CheckpointError.invalidHeader(path: path, reason: "the JSON is not an object")
        }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in header.sorted(by: { $0.key < $1.key }) {
            if name == Self.metadataKey {
                metadata = try parseMetadata(value, path: path)
            } else {
                entries.append(try parseEntry(name: name, value: value, path: path))
            }
        }
        var cursor = 0
        var previous = ""
        for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard entry.begin >= cursor else {
                throw CheckpointError.invalidOffsets(
                    path: path, tensor: entry.name,
                    reason: "[\(entry.begin), \(entry.end)) overlaps tensor '\(previous)'")
            }
            guard entry.begin == cursor else {
                throw CheckpointError.invalidOffsets(
                    path: path, tensor: entry.name,
                    reason: "starts at \(entry.begin) leaving a gap after byte \(cursor)")
            }
            cursor = entry.end
            previous = entry.name
        }
        let dataBytes = bytes.count - headerEnd
        guard cursor <= dataBytes else {
            // A header claiming absurd sizes puts `cursor` near Int.max: saturate, don't trap.
            let expected = headerEnd.addingReportingOverflow(cursor)
            throw CheckpointError.truncated(
                path: path, expectedBytes: expected.overflow ? Int.max : expected.partialValue,
                actualBytes: bytes.count)
        }
        guard cursor == dataBytes else {
            throw CheckpointError.trailingBytes(
                path: path, expectedBytes: cursor, actualBytes: dataBytes)
        }
        var tensors: [String: Tensor] = [:]
        for entry in entries {
            let slice = UnsafeRawBufferPointer(
                rebasing: bytes[(headerEnd + entry.begin)..<(headerEnd + entry.end)])
            let scalars = floats(from: slice, dtype: entry.dtype)
            tensors[entry.name] = Tensor(shape: entry.shape, scalars: scalars)
        }
        return SafeTensorsArchive(tensors: tensors, metadata: metadata)
    }

    private static func parseMetadata(
        _ value: JSONValue, path: String
    ) throws -> [String: String] {
        guard case .object(let object) = value else {
            throw CheckpointError.invalidHeader(path: path, reason: "__metadata__ is not an object")
        }
        var metadata: [String: String] = [:]
        for (key, item) in object {
            guard case .string(let text) = item else {
                throw CheckpointError.invalidHeader(
                    path: path, reason: "__metadata__ value for '\(key)' is not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func parseEntry(name: String, value: JSONValue, path: String) throws -> Entry {
        func invalid(_ reason: String) -> CheckpointError {
            .invalidEntry(path: path, tensor: name, reason: reason)
        }
        guard case .object(let fields) = value else { throw invalid("entry is not an object") }
        guard case .string(let dtype)? = fields["dtype"] else {
            throw invalid("missing string field 'dtype'")
        }
        guard case .array(let dims)? = fields["shape"] else {
            throw invalid("missing array field 'shape'")
        }
        guard case .array(let offsets)? = fields["data_offsets"], offsets.count == 2,
            case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1]
        else { throw invalid("missing field 'data_offsets' of two integers") }
        guard let elementBytes = elementSize(of: dtype) else {
            throw CheckpointError.unsupportedDType(path: path, tensor: name, dtype: dtype)
        }
        var shape: [Int] = []
        var byteCount = elementBytes
        // Non-zero extents must not overflow either: [0, 2⁶², 4] holds no bytes but traps later.
        var nonZeroProduct = elementBytes
        for dim in dims {
            guard case .integer(let extent) = dim, extent >= 0 else {
                throw invalid("shape must hold non-negative integers")
            }
            let product = byteCount.multipliedReportingOverflow(by: extent)
            let nonZero = nonZeroProduct.multipliedReportingOverflow(by: max(extent, 1))
            guard !product.overflow, !nonZero.overflow else {
                throw invalid("extent \(extent) at axis \(shape.count) of the shape overflows the byte size")
            }
            shape.append(extent)
            byteCount = product.partialValue
            nonZeroProduct = nonZero.partialValue
        }
        guard begin >= 0, end >= begin else {
            throw CheckpointError.invalidOffsets(
                path: path, tensor: name, reason: "[\(begin), \(end)) is not a valid range")
        }
        guard end - begin == byteCount else {
            throw invalid(
                "shape \(shape) of \(dtype) needs \(byteCount) bytes, "
                    + "data_offsets span \(end - begin)")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    private static func elementSize(of dtype: String) -> Int? {
        switch dtype {
        case "F32": return 4
        case "F64": return 8
        case "F16", "BF16": return 2
        default: return nil
        }
    }

    /// Converts little-endian elements of a validated dtype to `Float`.
    private static func floats(from raw: UnsafeRawBufferPointer, dtype: String) -> [Float] {
        func load<T: FixedWidthInteger>(_: T.Type, _ index: Int) -> T {
            let offset = index * MemoryLayout<T>.size
            return T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        switch dtype {
        case "F64":
            return (0..<(raw.count / 8)).map { Float(Double(bitPattern: load(UInt64.self, $0))) }
        case "F16":
            return (0..<(raw.count / 2)).map { halfToFloat(load(UInt16.self, $0)) }
        case "BF16":
            return (0..<(raw.count / 2)).map {
                Float(bitPattern: UInt32(load(UInt16.self, $0)) << 16)
            }
        default:
            return (0..<(raw.count / 4)).map { Float(bitPattern: load(UInt32.self, $0)) }
        }
    }

    /// IEEE 754 binary16 → binary32, exact (subnormals, infinities and NaNs included).
    static func halfToFloat(_ half: UInt16) -> Float {
        let sign: UInt32 = UInt32(half & 0x8000) << 16
        let exponent = UInt32(half >> 10) & 0x1F
        let mantissa = UInt32(half & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }

    /// A JSON string literal with `"`, `\` and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
