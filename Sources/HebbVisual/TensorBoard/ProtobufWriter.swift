/// Hand encoding of protocol buffers (proto3 wire format): enough for TensorBoard's `Event`.
public struct ProtobufWriter: Sendable, Equatable {
    /// Wire types.
    public enum WireType: UInt64, Sendable {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    /// The encoded message so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Base-128 varint, low groups first; negative integers are written as their 64-bit two's
    /// complement (10 bytes), as protobuf does for `int64`.
    public mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A field key: (field number << 3) | wire type.
    public mutating func key(_ field: Int, _ type: WireType) { varint(UInt64(field) << 3 | type.rawValue) }

    /// An `int64`/`int32` field.
    public mutating func integer(_ field: Int, _ value: Int64) {
        key(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    /// A `double` field.
    public mutating func double(_ field: Int, _ value: Double) {
        key(field, .fixed64)
        append(value.bitPattern)
    }

    /// A `float` field.
    public mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        append(value.bitPattern)
    }

    /// A `bytes` field.
    public mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes += value
    }

    /// A `string` field (UTF-8).
    public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    /// An embedded message field.
    public mutating func message(_ field: Int, _ value: ProtobufWriter) { bytes(field, value.bytes) }

    /// A packed `repeated double` field.
    public mutating func packedDoubles(_ field: Int, _ values: [Double]) {
        key(field, .lengthDelimited)
        varint(UInt64(8 * values.count))
        for value in values { append(value.bitPattern) }
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        for shift in stride(from: 0, to: T.bitWidth, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
