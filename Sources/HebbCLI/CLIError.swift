/// A command-line usage error. Option names are spelled as typed, with their dashes
/// (`--preset`); `description` is one line ending in a hint.
public enum CLIError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An option not in the command's table, with the nearest known one if any.
    case unknownOption(String, suggestion: String?)
    /// A value-taking option was last on the line or followed by another option.
    case missingValue(option: String)
    /// A value that does not parse; `expected` describes what would (e.g. "a positive integer").
    case invalidValue(option: String, value: String, expected: String)
    /// A positional argument the command does not take.
    case unexpectedArgument(String)
    /// A subcommand that does not exist, with the nearest known one if any.
    case unknownCommand(String, suggestion: String?)
    /// A single-value option given more than once.
    case duplicateOption(String)
    /// A required option was not given.
    case missingOption(String)
    /// A required positional argument (named by its metavar) was not given.
    case missingArgument(String, hint: String)

    /// One line: what went wrong and how to fix it.
    public var description: String {
        switch self {
        case .unknownOption(let option, let suggestion?):
            return "unknown option '\(option)' (did you mean '\(suggestion)'?)"
        case .unknownOption(let option, nil):
            return "unknown option '\(option)'; run with --help to list the options"
        case .missingValue(let option):
            return "option '\(option)' needs a value; write '\(option) VALUE' or '\(option)=VALUE'"
        case .invalidValue(let option, let value, let expected):
            return "invalid value '\(value)' for option '\(option)': expected \(expected)"
        case .unexpectedArgument(let argument):
            return "unexpected argument '\(argument)'; run with --help to see the usage"
        case .unknownCommand(let command, let suggestion?):
            return "unknown command '\(command)' (did you mean '\(suggestion)'?)"
        case .unknownCommand(let command, nil):
            return "unknown command '\(command)'; run 'hebb --help' to list the commands"
        case .duplicateOption(let option):
            return "option '\(option)' given more than once; give it once"
        case .missingOption(let option):
            return "missing required option '\(option)'; run with --help to see the usage"
        case .missingArgument(let name, let hint):
            return "missing argument \(name); \(hint)"
        }
    }
}
