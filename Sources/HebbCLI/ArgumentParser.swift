import HebbTensor

/// The result of `ArgumentParser.parse`: positional arguments and option values by name.
public struct ParsedArguments: Sendable, Equatable {
    /// Arguments that are not options, in order (everything after `--` included).
    public var positionals: [String]
    /// Option name (without `--`) → its values in order; a flag that was given maps to `["true"]`.
    public var values: [String: [String]]

    /// Parsed arguments with the given contents.
    public init(positionals: [String] = [], values: [String: [String]] = [:]) {
        self.positionals = positionals
        self.values = values
    }

    /// The value of a `.value` option (the last one of a `.repeated` option), or nil if absent.
    public func value(_ name: String) -> String? { values[name]?.last }

    /// Whether the flag `--name` was given.
    public func flag(_ name: String) -> Bool { values[name] != nil }

    /// Every value given for `--name`, in order; empty if absent.
    public func values(_ name: String) -> [String] { values[name] ?? [] }

    /// The value of `--name`, or `CLIError.missingOption` when it was not given.
    public func required(_ name: String) throws(CLIError) -> String {
        guard let value = value(name) else { throw .missingOption("--\(name)") }
        return value
    }

    /// The integer value of `--name` (nil when absent); below `minimum` (1: counts, 0: seeds and
    /// ids) it is `CLIError.invalidValue`.
    public func integer(_ name: String, minimum: Int = 1) throws(CLIError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let n = Int(text), n >= minimum else {
            throw .invalidValue(option: "--\(name)", value: text, expected: minimum > 0 ? "a positive integer" : "a non-negative integer")
        }
        return n
    }
}

/// A small, strict `--option` parser driven by a table of `OptionSpec`s.
///
/// Accepted: `--name value`, `--name=value`, flags `--name`, `--` (everything after it is
/// positional), and `-h` as `--help` when the table has a `help` option. Not accepted: bundled or
/// other short options, prefix abbreviations, a single-value option given twice. A value that
/// starts with `-` (other than a number such as `-0.5`) must be written `--name=-value`.
public enum ArgumentParser {
    /// Parses `arguments` (without the program and command names) against `options`.
    public static func parse(
        _ arguments: [String], options: [OptionSpec]
    ) throws(CLIError) -> ParsedArguments {
        var table: [String: OptionSpec] = [:]
        for option in options where table[option.name] == nil { table[option.name] = option }
        var result = ParsedArguments()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                result.positionals += arguments[index...]
                break
            }
            if argument == "-h" && table["help"] != nil {
                result.values["help"] = ["true"]
            } else if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let equals = body.firstIndex(of: "=")
                let name = String(body[..<(equals ?? body.endIndex)])
                let inline = equals.map { String(body[body.index(after: $0)...]) }
                guard let spec = table[name] else {
                    throw .unknownOption("--\(name)", suggestion: suggestion(for: name, options))
                }
                switch spec.kind {
                case .flag:
                    if let inline {
                        throw .invalidValue(
                            option: "--\(name)", value: inline, expected: "no value (it is a flag)")
                    }
                    result.values[name] = ["true"]
                case .value, .repeated:
                    let value: String
                    if let inline {
                        value = inline
                    } else if index < arguments.count && !looksLikeOption(arguments[index]) {
                        value = arguments[index]
                        index += 1
                    } else {
                        throw .missingValue(option: "--\(name)")
                    }
                    if case .value = spec.kind, result.values[name] != nil {
                        throw .duplicateOption("--\(name)")
                    }
                    result.values[name, default: []].append(value)
                }
            } else if looksLikeOption(argument) {
                let name = String(argument.drop { $0 == "-" })
                throw .unknownOption(argument, suggestion: suggestion(for: name, options))
            } else {
                result.positionals.append(argument)
            }
        }
        return result
    }

    /// Help text: a usage line, the summary, and one aligned line per option.
    ///
    /// `command` is the full invocation including positionals, e.g. `"hebb eval RUN_DIR"`.
    public static func usage(command: String, summary: String, options: [OptionSpec]) -> String {
        var lines = ["Usage: \(command)\(options.isEmpty ? "" : " [options]")"]
        if !summary.isEmpty { lines += ["", summary] }
        if !options.isEmpty {
            let rows = options.map { option -> (String, String) in
                switch option.kind {
                case .flag:
                    return (option.name == "help" ? "-h, --help" : "--\(option.name)", option.help)
                case .value(let metavar):
                    return ("--\(option.name) \(metavar)", option.help)
                case .repeated(let metavar):
                    return ("--\(option.name) \(metavar)", "\(option.help) (repeatable)")
                }
            }
            let width = rows.map(\.0.count).max() ?? 0
            lines += ["", "Options:"]
            for (left, help) in rows {
                let padding = String(repeating: " ", count: width - left.count + 2)
                lines.append("  \(left)\(padding)\(help)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `-x…` or `--x…`, but not `-`, `--` or a negative number such as `-1` or `-0.5e-3`.
    private static func looksLikeOption(_ argument: String) -> Bool {
        argument.hasPrefix("-") && argument.count > 1 && Double(argument) == nil
    }

    /// `--closest` option name to a mistyped one, or nil.
    private static func suggestion(for name: String, _ options: [OptionSpec]) -> String? {
        EditDistance.closest(to: name, among: options.map(\.name)).map { "--\($0)" }
    }
}
