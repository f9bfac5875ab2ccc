/// A JSON document for fuzzing. Object members keep their order and may repeat a key, and
/// numbers are raw literal text, so it can also spell what JSON forbids or leaves open
/// (`NaN`, `1e999`, duplicated keys, 2⁶⁴). Seeds are written as literals:
/// `["model": ["b0": ["arch": "MLP", "num": 0]]]`.
public indirect enum FuzzJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The literal text of a number, written as is.
    case number(String)
    case string(String)
    case array([FuzzJSON])
    case object([Member])

    /// One `"key": value` member of an object.
    public struct Member: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: FuzzJSON

        /// A member.
        public init(_ key: String, _ value: FuzzJSON) {
            self.key = key
            self.value = value
        }
    }

    /// Compact JSON text (strings escaped as JSON requires; numbers verbatim).
    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    /// Appends the compact text; one small stack frame per nesting level, so deep nests render.
    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let literal): out += literal
        case .string(let value): out += Self.quoted(value)
        case .array(let items):
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (k, member) in members.enumerated() {
                if k > 0 { out += "," }
                out += Self.quoted(member.key) + ":"
                member.value.write(into: &out)
            }
            out += "}"
        }
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\u00XX`.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Number literals worth trying: valid JSON at the edges of Int64, UInt64, Float and
    /// Double, then spellings JSON forbids.
    public static let interestingNumberLiterals = [
        "0", "-0", "1", "-1", "2", "4.0", "0.5", "1E3", "1e-400", "1e39", "-1e39", "1e999", "-1e999",
        "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "123456789012345678901234567890", "NaN", "Infinity", "-Infinity",
        "nan", "01", "+1", ".5", "0x10",
    ]
}

extension FuzzJSON: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(dictionaryLiteral elements: (String, FuzzJSON)...) { self = .object(elements.map { Member($0, $1) }) }
    public init(arrayLiteral elements: FuzzJSON...) { self = .array(elements) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(floatLiteral value: Double) { self = .number(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension Mutator {
    /// `json` after one to `maxMutations` structural mutations, each at a random node: members
    /// deleted, duplicated (a repeated key), renamed (garbled, or to one of `keys`) or added;
    /// elements deleted, duplicated or inserted; strings rewritten by `rewrite`; numbers set to
    /// interesting literals; any node replaced by another type, wrapped, or nested deeply.
    public mutating func mutate(
        _ json: FuzzJSON, keys: [String], maxMutations: Int = 3, rewrite: (inout Mutator, String) -> String
    ) -> FuzzJSON {
        var out = json
        for _ in 0..<(1 + index(below: maxMutations)) { mutateNode(&out, keys: keys, rewrite: rewrite) }
        return out
    }

    /// Descends to a random node (stopping early with some probability) and mutates it.
    private mutating func mutateNode(_ node: inout FuzzJSON, keys: [String], rewrite: (inout Mutator, String) -> String) {
        switch node {
        case .object(var members):
            if !members.isEmpty && chance(0.65) {
                let k = index(below: members.count)
                mutateNode(&members[k].value, keys: keys, rewrite: rewrite)
                node = .object(members)
                return
            }
            switch index(below: 7) {
            case 0 where !members.isEmpty: members.remove(at: index(below: members.count))
            case 1 where !members.isEmpty:
                let member = pick(members)
                members.insert(member, at: index(below: members.count + 1))
            case 2 where !members.isEmpty:
                let k = index(below: members.count)
                members[k].key = chance(0.5) ? pick(keys) : rewrite(&self, members[k].key)
            case 3: members.insert(FuzzJSON.Member(pick(keys), randomValue()), at: index(below: members.count + 1))
            case 4 where members.count > 1: members = generator.permutation(members.count).map { members[$0] }
            default:
                node = replacement(for: node)
                return
            }
            node = .object(members)
        case .array(var items):
            if !items.isEmpty && chance(0.6) {
                let k = index(below: items.count)
                mutateNode(&items[k], keys: keys, rewrite: rewrite)
                node = .array(items)
                return
            }
            switch index(below: 4) {
            case 0 where !items.isEmpty: items.remove(at: index(below: items.count))
            case 1 where !items.isEmpty: items.insert(pick(items), at: index(below: items.count + 1))
            case 2: items.insert(randomValue(), at: index(below: items.count + 1))
            default:
                node = replacement(for: node)
                return
            }
            node = .array(items)
        case .string(let value):
            node = chance(0.7) ? .string(rewrite(&self, value)) : replacement(for: node)
        case .number:
            node = chance(0.7) ? .number(pick(FuzzJSON.interestingNumberLiterals)) : replacement(for: node)
        case .null, .bool:
            node = replacement(for: node)
        }
    }

    /// A random scalar or empty container.
    public mutating func randomValue() -> FuzzJSON {
        switch index(below: 8) {
        case 0: return .null
        case 1: return .bool(chance(0.5))
        case 2, 3: return .number(pick(FuzzJSON.interestingNumberLiterals))
        case 4: return .string(pick(Mutator.interestingNumbers))
        case 5: return .string(pick(Mutator.unicodeSamples))
        case 6: return .array([])
        default: return .object([])
        }
    }

    /// Another value for `node`: a random value, `node` wrapped in an array or object, or
    /// `node` inside a nest of arrays, some deeper than Foundation's 512-level limit.
    private mutating func replacement(for node: FuzzJSON) -> FuzzJSON {
        switch index(below: 6) {
        case 0: return .array([node])
        case 1: return .object([FuzzJSON.Member("x", node)])
        case 2:
            var nested = node
            for _ in 0..<pick([2, 64, 511, 600]) { nested = .array([nested]) }
            return nested
        default: return randomValue()
        }
    }
}
