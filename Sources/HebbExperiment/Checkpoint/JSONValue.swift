import HebbText
import HebbTensor

/// A parsed JSON document (safetensors headers, search spaces, presets), decoded without
/// Foundation's `Any` bridging (FoundationEssentials has no JSONSerialization).
enum JSONValue: Codable, Sendable {
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

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    // Typed reads that accept what `JSONSerialization`'s NSNumber bridging accepted (`as? Int`,
    // `as? Double`, `as? Bool`), so presets files read as before.

    /// The text of a string.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The members of an object.
    var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// A number that is a whole Int (`3` or `3.0`).
    var wholeNumber: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// Any number, as a Double.
    var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// A boolean, or a number that is exactly 0 or 1.
    var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .integer(let value) where value == 0 || value == 1: return value == 1
        case .number(let value) where value == 0 || value == 1: return value == 1
        default: return nil
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
