import Foundation
import HebbTensor

/// The JSON subset a safetensors header uses, decoded without Foundation's `Any` bridging.
enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Containers are tried first: every failed attempt builds an error carrying the coding
    /// path, so trying four scalar types at each level of a 500-deep nest cost seconds.
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}

/// JSON decoding of untrusted files.
enum GuardedJSON {
    /// `JSONDecoder().decode`, with one space (JSON whitespace) appended: swift-foundation's
    /// decoder traps when the 513th nested `[` is the input's last byte (its error location reads
    /// one past the end), found by fuzzing.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        var padded = data
        padded.append(0x20)
        return try JSONDecoder().decode(type, from: padded)
    }
}
