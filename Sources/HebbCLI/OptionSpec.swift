/// One `--option` a command accepts: its name, whether it takes a value, and its help line.
public struct OptionSpec: Sendable, Equatable {
    /// How an option consumes arguments.
    public enum Kind: Sendable, Equatable {
        /// Present or absent; takes no value (`--verbose`).
        case flag
        /// Takes one value (`--preset NAME` or `--preset=NAME`); giving it twice is an error.
        case value(metavar: String)
        /// Takes one value per occurrence and may repeat (`--set K=V --set K2=V2`).
        case repeated(metavar: String)
    }

    /// The name without the leading `--` (`"preset"`).
    public var name: String
    /// Whether and how the option takes values.
    public var kind: Kind
    /// One-line help shown by `ArgumentParser.usage`.
    public var help: String

    /// An option called `--name`.
    public init(name: String, kind: Kind, help: String) {
        self.name = name
        self.kind = kind
        self.help = help
    }

    /// A `--name` flag.
    public static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: help)
    }

    /// A `--name METAVAR` single-value option.
    public static func value(_ name: String, metavar: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value(metavar: metavar), help: help)
    }

    /// A repeatable `--name METAVAR` option.
    public static func repeated(_ name: String, metavar: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .repeated(metavar: metavar), help: help)
    }

    /// The standard `-h, --help` flag.
    public static let helpFlag = OptionSpec.flag("help", help: "show this help and exit")
}
