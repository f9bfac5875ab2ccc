import HebbTensor

/// Seeded, deterministic mutations of valid inputs for fuzz tests (same seed, same inputs).
///
/// Byte mutations: bit flips, byte sets, inserts, deletes, duplicated ranges, truncation at
/// every length class, and integer header fields set to zero, one, all-ones, the sign bit, the
/// file size and other extremes. Text mutations: tokens replaced by interesting numbers (`nan`,
/// `inf`, `1e39`, 2⁶³, …), inserted unicode and separators, token shuffles, deletions, case
/// flips. Every choice comes from the one `SeededGenerator` the mutator owns.
public struct Mutator {
    /// The generator behind every choice.
    public var generator: SeededGenerator

    /// A mutator whose whole output is determined by `seed`.
    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// An integer header field: byte offset, width in bytes (1…8) and byte order.
    public struct Field: Sendable {
        /// Offset of the first byte.
        public var offset: Int
        /// Width in bytes, 1…8.
        public var width: Int
        /// Most significant byte first (IDX) or last (safetensors).
        public var bigEndian: Bool

        /// A field of `width` bytes at `offset`.
        public init(offset: Int, width: Int, bigEndian: Bool) {
            self.offset = offset
            self.width = width
            self.bigEndian = bigEndian
        }
    }

    /// Numbers that break careless parsers: NaN and infinities in their spellings, values that
    /// overflow Float, Int32, Int64 and UInt64, signs, hex, digit look-alikes.
    public static let interestingNumbers = [
        "0", "-0", "1", "-1", "2", "nan", "NaN", "-nan", "snan", "inf", "-inf", "Infinity", "infinity",
        "1e39", "-1e39", "3.4028236e38", "1e-46", "1e308", "1e309", "0.5", ".5", "5.", "1e", "e5",
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "4611686018427387904",
        "3037000500", "65536", "1048577",
        "340282366920938463463374607431768211456", "0x10", "0x1p3", "0b1", "1_000", "+1", "--1",
        " 1", "1 ", "١٢", "½", "１", "1.0.0", "00000000000000000000001",
    ]

    /// Characters and strings that break careless text handling: control characters, line
    /// breaks, combining marks, case-folding traps (Kelvin sign, dotted İ, long s), emoji,
    /// quotes, BOM, bidi override, the replacement character.
    public static let unicodeSamples = [
        "\u{0}", "\n", "\r\n", "\t", "\u{B}", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}", " ", "\u{A0}",
        "é", "e\u{301}", "\u{301}", "\u{212A}", "İ", "ſ", "ß", "ﬃ", "🧠", "👩‍👩‍👧", "\"", "'", "\\",
        "\u{FEFF}", "\u{202E}", "\u{FFFD}", "\u{10FFFF}", "中文", "Ω",
    ]

    // MARK: - Choices

    /// A uniform integer in `0..<bound` (`bound` > 0).
    public mutating func index(below bound: Int) -> Int { generator.nextIndex(below: bound) }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        Double(generator.next() >> 11) * 0x1p-53 < probability
    }

    /// A uniformly chosen element of a non-empty array.
    public mutating func pick<T>(_ choices: [T]) -> T { choices[index(below: choices.count)] }

    /// `count` uniformly random bytes.
    public mutating func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    // MARK: - Bytes

    /// `bytes` after one to `maxMutations` stacked mutations; `fields` are the header integers
    /// worth setting to extreme values (positions in the unmutated layout).
    public mutating func mutate(_ bytes: [UInt8], fields: [Field] = [], maxMutations: Int = 4) -> [UInt8] {
        var out = bytes
        for _ in 0..<(1 + index(below: maxMutations)) {
            switch index(below: fields.isEmpty ? 9 : 12) {
            case 0: out = truncate(out)
            case 1: flipBit(&out)
            case 2: setByte(&out)
            case 3: insertBytes(&out)
            case 4: deleteRange(&out)
            case 5: duplicateRange(&out)
            case 6: out += randomBytes(1 + index(below: 16))
            case 7: flipBit(&out)
            case 8: out = Array(out.prefix(out.count - min(out.count, 1 + index(below: 8))))
            default: setField(&out, pick(fields), bytesCount: bytes.count)
            }
        }
        return out
    }

    /// A prefix of `bytes` whose length comes from a random length class: empty, one byte,
    /// inside a small header, half, all but one, all but a few, or anywhere.
    public mutating func truncate(_ bytes: [UInt8]) -> [UInt8] {
        let n = bytes.count
        guard n > 0 else { return bytes }
        let length: Int
        switch index(below: 7) {
        case 0: length = 0
        case 1: length = 1
        case 2: length = min(n, 1 + index(below: 24))
        case 3: length = n / 2
        case 4: length = n - 1
        case 5: length = max(0, n - 1 - index(below: 16))
        default: length = index(below: n)
        }
        return Array(bytes.prefix(length))
    }

    /// Flips one random bit (no-op on empty input).
    public mutating func flipBit(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes[index(below: bytes.count)] ^= UInt8(1) << UInt8(index(below: 8))
    }

    /// Sets one byte to 0, 0xFF, 0x7F, 0x80 or a random value.
    public mutating func setByte(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let value = chance(0.5) ? pick([0x00, 0xFF, 0x7F, 0x80, 0x01]) : UInt8(truncatingIfNeeded: generator.next())
        bytes[index(below: bytes.count)] = value
    }

    /// Inserts 1…16 random bytes (or one repeated byte) at a random position.
    public mutating func insertBytes(_ bytes: inout [UInt8]) {
        let count = 1 + index(below: 16)
        let inserted = chance(0.5) ? randomBytes(count) : [UInt8](repeating: pick([0, 0xFF, 0x20]), count: count)
        bytes.insert(contentsOf: inserted, at: index(below: bytes.count + 1))
    }

    /// Deletes a random range of up to 32 bytes.
    public mutating func deleteRange(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let start = index(below: bytes.count)
        bytes.removeSubrange(start..<min(bytes.count, start + 1 + index(below: 32)))
    }

    /// Copies a random range of up to 64 bytes to a random position.
    public mutating func duplicateRange(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let start = index(below: bytes.count)
        let range = Array(bytes[start..<min(bytes.count, start + 1 + index(below: 64))])
        bytes.insert(contentsOf: range, at: index(below: bytes.count + 1))
    }

    /// Writes an extreme value into `field` (skipped when the field lies past the end).
    public mutating func setField(_ bytes: inout [UInt8], _ field: Field, bytesCount: Int) {
        guard field.offset + field.width <= bytes.count else { return }
        let bits = field.width * 8
        let all: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        let current = readField(bytes, field)
        let candidates: [UInt64] = [
            0, 1, all, all >> 1, (all >> 1) + 1, current &+ 1, current &- 1, current &* 2, current / 2,
            UInt64(bytesCount), UInt64(bytesCount) &+ 1, 1 << UInt64(min(bits - 1, 31)),
            UInt64.max >> 2, UInt64(index(below: 256)), generator.next(),
        ]
        let value = pick(candidates) & all
        for k in 0..<field.width {
            let shift = UInt64(8 * (field.bigEndian ? field.width - 1 - k : k))
            bytes[field.offset + k] = UInt8(truncatingIfNeeded: value >> shift)
        }
    }

    /// The unsigned value of `field` in `bytes` (which must contain it).
    public func readField(_ bytes: [UInt8], _ field: Field) -> UInt64 {
        (0..<field.width).reduce(UInt64(0)) { value, k in
            let shift = UInt64(8 * (field.bigEndian ? field.width - 1 - k : k))
            return value | UInt64(bytes[field.offset + k]) << shift
        }
    }

    // MARK: - Text

    /// `text` after one to `maxMutations` stacked mutations. Tokens are the runs between
    /// `separators`; `dictionary` holds words worth inserting (keys, prefixes, attributes).
    public mutating func mutate(
        _ text: String, separators: [Character], dictionary: [String], maxMutations: Int = 3
    ) -> String {
        var characters = Array(text)
        for _ in 0..<(1 + index(below: maxMutations)) {
            let position = index(below: characters.count + 1)
            switch index(below: 12) {
            case 0, 1: characters = replaceTokenValue(characters, separators: separators)
            case 2: characters.insert(contentsOf: pick(dictionary), at: position)
            case 3: characters.insert(contentsOf: pick(Self.unicodeSamples), at: position)
            case 4: characters.insert(contentsOf: pick(Self.interestingNumbers), at: position)
            case 5: characters = shuffleTokens(characters, separators: separators)
            case 6: characters = duplicateToken(characters, separators: separators)
            case 7:
                let end = min(characters.count, position + 1 + index(below: 8))
                if position < end { characters.removeSubrange(position..<end) }
            case 8: characters = Array(characters.prefix(index(below: characters.count + 1)))
            case 9:
                if !separators.isEmpty { characters.insert(pick(separators), at: position) }
            case 10: characters = flipCase(characters)
            default:
                if position < characters.count {
                    characters[position] = Character(Unicode.Scalar(UInt8(32 + index(below: 95))))
                }
            }
        }
        return String(characters)
    }

    /// `text` with one token's value (what follows its leading letters) replaced by an
    /// interesting number and nothing else changed: syntax stays valid, values go extreme.
    public mutating func replacingTokenValue(_ text: String, separators: [Character]) -> String {
        String(replaceTokenValue(Array(text), separators: separators))
    }

    /// Splits into tokens and the separators between them (`separators.count == tokens.count - 1`).
    func tokens(_ characters: [Character], separators: [Character]) -> (tokens: [[Character]], separators: [Character]) {
        var tokens: [[Character]] = [[]]
        var found: [Character] = []
        for character in characters {
            if separators.contains(character) {
                found.append(character)
                tokens.append([])
            } else {
                tokens[tokens.count - 1].append(character)
            }
        }
        return (tokens, found)
    }

    /// Joins tokens with separators (extra tokens get the first separator or nothing).
    func join(_ tokens: [[Character]], _ separators: [Character]) -> [Character] {
        var out: [Character] = []
        for (k, token) in tokens.enumerated() {
            if k > 0 { out.append(k - 1 < separators.count ? separators[k - 1] : (separators.first ?? "-")) }
            out += token
        }
        return out
    }

    /// Keeps a token's leading letters and replaces the rest with an interesting number.
    mutating func replaceTokenValue(_ characters: [Character], separators: [Character]) -> [Character] {
        var (tokens, found) = tokens(characters, separators: separators)
        let k = index(below: tokens.count)
        let key = tokens[k].prefix { $0.isLetter && $0.isASCII }
        tokens[k] = Array(key) + Array(pick(Self.interestingNumbers))
        return join(tokens, found)
    }

    /// Permutes the tokens (all of them, or two swapped) keeping the separators in place.
    mutating func shuffleTokens(_ characters: [Character], separators: [Character]) -> [Character] {
        let (tokens, found) = tokens(characters, separators: separators)
        guard tokens.count > 1 else { return characters }
        if chance(0.5) { return join(generator.permutation(tokens.count).map { tokens[$0] }, found) }
        var swapped = tokens
        swapped.swapAt(index(below: tokens.count), index(below: tokens.count))
        return join(swapped, found)
    }

    /// Repeats one token right after itself.
    mutating func duplicateToken(_ characters: [Character], separators: [Character]) -> [Character] {
        var (tokens, found) = tokens(characters, separators: separators)
        let k = index(below: tokens.count)
        tokens.insert(tokens[k], at: k)
        found.insert(found.isEmpty ? (separators.first ?? "-") : found[min(k, found.count - 1)], at: min(k, found.count))
        return join(tokens, found)
    }

    /// Upper-cases everything, or swaps the case of a few characters.
    mutating func flipCase(_ characters: [Character]) -> [Character] {
        if chance(0.3) { return Array(String(characters).uppercased()) }
        var out = characters
        for _ in 0..<3 where !out.isEmpty {
            // Case mapping may change the length ("ß" → "SS"), so splice the mapped string in.
            let k = index(below: out.count)
            let mapped = out[k].isUppercase ? out[k].lowercased() : out[k].uppercased()
            out.replaceSubrange(k...k, with: Array(mapped))
        }
        return out
    }
}
