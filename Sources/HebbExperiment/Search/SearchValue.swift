import HebbText

/// A value a search parameter takes: a whole number, a real number or a word.
public enum SearchValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case text(String)

    /// The value as it goes on a `hebb train` command line: whole numbers without a decimal
    /// point, reals as the shortest text that reads back as the same `Float` (layer settings are
    /// `Float`s), words as they are.
    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .number(let value):
            if value == value.rounded() && abs(value) < 1e7 { return String(Int(value)) }
            let single = Float(value)
            return single.isFinite ? single.description : String(value)
        case .text(let value): return value
        }
    }

    /// The value as a number, when it is one.
    public var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        case .text: return nil
        }
    }

    /// The value as a non-negative whole number (a seed), when it is one.
    public var seed: Int? {
        switch self {
        case .integer(let value): return value >= 0 ? value : nil
        case .number(let value): return value >= 0 && value == value.rounded() && value < 1e9 ? Int(value) : nil
        case .text: return nil
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }

    /// A scalar of a parsed JSON document, or nil for containers and null.
    init?(_ json: JSONValue) {
        switch json {
        case .integer(let value): self = .integer(value)
        case .number(let value): self = value.isFinite ? .number(value) : .text(String(value))
        case .string(let value): self = .text(value)
        case .bool(let value): self = .text(value ? "true" : "false")
        case .null, .array, .object: return nil
        }
    }
}

/// One parameter's value in one trial.
public struct SearchAssignment: Codable, Sendable, Equatable {
    /// `seed` or `bI.KEY`.
    public var name: String
    /// Its value.
    public var value: SearchValue

    /// Creates an assignment.
    public init(name: String, value: SearchValue) {
        self.name = name
        self.value = value
    }
}
