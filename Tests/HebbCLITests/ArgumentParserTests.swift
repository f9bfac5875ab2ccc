import HebbTensor
import XCTest

@testable import HebbCLI

final class ArgumentParserTests: XCTestCase {
    private let options: [OptionSpec] = [
        .value("preset", metavar: "NAME", help: "preset to run"),
        .value("epochs", metavar: "N", help: "number of epochs"),
        .repeated("set", metavar: "KEY=VALUE", help: "override a config field"),
        .flag("verbose", help: "print progress"),
        .flag("dry-run", help: "validate only"),
        OptionSpec.helpFlag,
    ]

    private func parse(_ arguments: [String]) throws -> ParsedArguments {
        try ArgumentParser.parse(arguments, options: options)
    }

    private func assertParseError(
        _ arguments: [String], _ expected: CLIError,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try parse(arguments), file: file, line: line) { error in
            XCTAssertEqual(error as? CLIError, expected, file: file, line: line)
        }
    }

    // MARK: - Accepted forms

    func testParse_spaceAndEqualsForms_giveValues() throws {
        let parsed = try parse(["--preset", "softhebb", "--epochs=3", "run-dir"])
        XCTAssertEqual(parsed.value("preset"), "softhebb")
        XCTAssertEqual(parsed.value("epochs"), "3")
        XCTAssertEqual(parsed.positionals, ["run-dir"])
        XCTAssertNil(parsed.value("set"))
    }

    func testParse_equalsForm_keepsFurtherEqualsAndEmptyValue() throws {
        let parsed = try parse(["--set=lr=0.1", "--preset="])
        XCTAssertEqual(parsed.values("set"), ["lr=0.1"])
        XCTAssertEqual(parsed.value("preset"), "")
    }

    func testParse_flags_mapToTrue() throws {
        let parsed = try parse(["--verbose", "--dry-run", "--verbose"])
        XCTAssertTrue(parsed.flag("verbose"))
        XCTAssertTrue(parsed.flag("dry-run"))
        XCTAssertFalse(parsed.flag("help"))
        XCTAssertEqual(parsed.values["verbose"], ["true"])
    }

    func testParse_repeatedOption_collectsValuesInOrder() throws {
        let parsed = try parse(["--set", "a=1", "x", "--set=b=2", "--set", "c=3"])
        XCTAssertEqual(parsed.values("set"), ["a=1", "b=2", "c=3"])
        XCTAssertEqual(parsed.value("set"), "c=3")
        XCTAssertEqual(parsed.positionals, ["x"])
    }

    func testParse_doubleDashTerminator_makesTheRestPositional() throws {
        let parsed = try parse(["a", "--verbose", "--", "--preset", "-h", "--"])
        XCTAssertEqual(parsed.positionals, ["a", "--preset", "-h", "--"])
        XCTAssertTrue(parsed.flag("verbose"))
        XCTAssertNil(parsed.value("preset"))
    }

    func testParse_shortAndLongHelp_setHelpFlag() throws {
        XCTAssertTrue(try parse(["-h"]).flag("help"))
        XCTAssertTrue(try parse(["train", "--help"]).flag("help"))
    }

    func testParse_helpNotInTable_isUnknownOption() {
        XCTAssertThrowsError(try ArgumentParser.parse(["--help"], options: [])) { error in
            XCTAssertEqual(error as? CLIError, .unknownOption("--help", suggestion: nil))
        }
        XCTAssertThrowsError(try ArgumentParser.parse(["-h"], options: [])) { error in
            XCTAssertEqual(error as? CLIError, .unknownOption("-h", suggestion: nil))
        }
    }

    func testParse_negativeNumbersAndLoneDash_areValuesOrPositionals() throws {
        let parsed = try parse(["--epochs", "-3", "-0.5e-2", "-"])
        XCTAssertEqual(parsed.value("epochs"), "-3")
        XCTAssertEqual(parsed.positionals, ["-0.5e-2", "-"])
    }

    func testParse_empty_givesNothing() throws {
        XCTAssertEqual(try parse([]), ParsedArguments())
    }

    // MARK: - Errors

    func testParse_misspelledOption_suggestsClosest() {
        assertParseError(["--preest", "x"], .unknownOption("--preest", suggestion: "--preset"))
        assertParseError(["--Verbose"], .unknownOption("--Verbose", suggestion: "--verbose"))
        assertParseError(["--dryrun"], .unknownOption("--dryrun", suggestion: "--dry-run"))
        assertParseError(["--zzzzzzzz"], .unknownOption("--zzzzzzzz", suggestion: nil))
    }

    func testParse_unknownOptionDescription_isOneLineWithSuggestion() {
        XCTAssertEqual(
            CLIError.unknownOption("--preest", suggestion: "--preset").description,
            "unknown option '--preest' (did you mean '--preset'?)")
    }

    func testParse_prefixAbbreviation_isRejected() {
        assertParseError(["--pre", "x"], .unknownOption("--pre", suggestion: nil))
        assertParseError(["--verb"], .unknownOption("--verb", suggestion: nil))
    }

    func testParse_shortOrBundledOptions_areRejectedWithLongSuggestion() {
        assertParseError(["-preset", "x"], .unknownOption("-preset", suggestion: "--preset"))
        assertParseError(["-vh"], .unknownOption("-vh", suggestion: nil))
    }

    func testParse_valueOptionWithoutValue_isMissingValue() {
        assertParseError(["--preset"], .missingValue(option: "--preset"))
        assertParseError(["--preset", "--verbose"], .missingValue(option: "--preset"))
        assertParseError(["--set", "-x"], .missingValue(option: "--set"))
        assertParseError(["--preset", "--"], .missingValue(option: "--preset"))
    }

    func testParse_flagWithValue_isInvalidValue() {
        assertParseError(
            ["--verbose=yes"],
            .invalidValue(option: "--verbose", value: "yes", expected: "no value (it is a flag)"))
    }

    func testParse_valueOptionTwice_isDuplicate() {
        assertParseError(["--preset", "a", "--preset=b"], .duplicateOption("--preset"))
    }

    func testRequired_absentOption_throwsMissingOption() throws {
        let parsed = try parse(["--preset", "p"])
        XCTAssertEqual(try parsed.required("preset"), "p")
        XCTAssertThrowsError(try parsed.required("epochs")) { error in
            XCTAssertEqual(error as? CLIError, .missingOption("--epochs"))
        }
    }

    func testCLIError_descriptions_areSingleLinesNamingTheSubject() {
        let errors: [(CLIError, String)] = [
            (.unknownOption("--x", suggestion: nil), "'--x'"),
            (.missingValue(option: "--preset"), "--preset=VALUE"),
            (
                .invalidValue(option: "--epochs", value: "abc", expected: "a positive integer"),
                "invalid value 'abc' for option '--epochs': expected a positive integer"
            ),
            (.unexpectedArgument("extra"), "unexpected argument 'extra'"),
            (
                .unknownCommand("trian", suggestion: "train"),
                "unknown command 'trian' (did you mean 'train'?)"
            ),
            (.unknownCommand("zzz", suggestion: nil), "hebb --help"),
            (.duplicateOption("--preset"), "'--preset' given more than once"),
            (.missingOption("--preset"), "missing required option '--preset'"),
        ]
        for (error, fragment) in errors {
            XCTAssertFalse(error.description.contains("\n"), error.description)
            XCTAssertTrue(error.description.contains(fragment), error.description)
        }
    }

    // MARK: - Usage

    func testUsage_listsEveryOptionAligned() {
        let text = ArgumentParser.usage(
            command: "hebb train", summary: "Train a network.", options: options)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "Usage: hebb train [options]")
        XCTAssertTrue(lines.contains("Train a network."))
        XCTAssertTrue(
            lines.contains("  --set KEY=VALUE  override a config field (repeatable)"), text)
        for option in options {
            let row = lines.first {
                $0.hasSuffix(option.help) || $0.hasSuffix("\(option.help) (repeatable)")
            }
            XCTAssertNotNil(row, "no line for --\(option.name) in:\n\(text)")
            XCTAssertTrue(row?.contains("--\(option.name)") ?? false, text)
            XCTAssertEqual(
                row?.range(of: option.help)?.lowerBound.utf16Offset(in: row ?? ""), 19, text)
        }
        XCTAssertTrue(lines.contains { $0.hasPrefix("  -h, --help ") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  --preset NAME ") }, text)
    }

    func testUsage_noOptions_omitsOptionsSection() {
        XCTAssertEqual(
            ArgumentParser.usage(command: "hebb version", summary: "", options: []),
            "Usage: hebb version")
    }

    // MARK: - Edit distance

    func testLevenshtein_knownDistances() {
        XCTAssertEqual(EditDistance.levenshtein("kitten", "sitting"), 3)
        XCTAssertEqual(EditDistance.levenshtein("", "abc"), 3)
        XCTAssertEqual(EditDistance.levenshtein("abc", ""), 3)
        XCTAssertEqual(EditDistance.levenshtein("same", "same"), 0)
        XCTAssertEqual(EditDistance.levenshtein("préset", "preset"), 1)
    }

    func testClosest_picksNearestWithinThresholdCaseInsensitively() {
        let commands = ["train", "eval", "sweep", "datasets"]
        XCTAssertEqual(EditDistance.closest(to: "TRIAN", among: commands), "train")
        XCTAssertEqual(EditDistance.closest(to: "dataset", among: commands), "datasets")
        XCTAssertNil(EditDistance.closest(to: "benchmark", among: commands))
        XCTAssertNil(EditDistance.closest(to: "trian", among: commands, maxDistance: 1))
        XCTAssertEqual(EditDistance.closest(to: "ab", among: ["xy", "ax"]), "ax")
        XCTAssertNil(EditDistance.closest(to: "x", among: []))
    }
}
