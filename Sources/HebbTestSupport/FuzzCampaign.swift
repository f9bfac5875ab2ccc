import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a fuzz campaign runs, from the environment (read once, passed explicitly):
/// `HEBB_FUZZ_ITERATIONS=N` inputs per kind (default 10 000), `HEBB_FUZZ_SEED=S` another
/// deterministic stream (default 0), `HEBB_FUZZ_TRACE=1` prints every input before it is
/// parsed, so the last line before a crash names the culprit.
public struct FuzzSettings: Sendable {
    /// Inputs per kind.
    public var iterations: Int
    /// Added to every kind's seed.
    public var seed: UInt64
    /// Print each input before parsing it.
    public var trace: Bool
    /// An input slower than this fails the campaign (a hang, or a blow-up in the parser).
    public var slowInputLimitSeconds: Double

    /// The settings CI uses unless the environment says otherwise.
    public static let `default` = FuzzSettings(iterations: 10_000, seed: 0, trace: false, slowInputLimitSeconds: 5)

    /// `default` overridden by `HEBB_FUZZ_ITERATIONS`, `HEBB_FUZZ_SEED` and `HEBB_FUZZ_TRACE`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> FuzzSettings {
        var settings = FuzzSettings.default
        if let text = environment["HEBB_FUZZ_ITERATIONS"], let n = Int(text), n > 0 { settings.iterations = n }
        if let text = environment["HEBB_FUZZ_SEED"], let seed = UInt64(text) { settings.seed = seed }
        settings.trace = environment["HEBB_FUZZ_TRACE"] == "1"
        return settings
    }
}

/// The counts of one campaign; a crash ends the process, so a printed tally proves there were none.
public struct FuzzTally: Sendable {
    /// The input kind, e.g. `layer-strings`.
    public let kind: String
    /// Inputs tried.
    public var inputs = 0
    /// Inputs that ended in an error of the expected type.
    public var errors = 0
    /// Inputs that parsed to a valid result.
    public var valid = 0
    /// Wall-clock seconds for the whole campaign.
    public var seconds = 0.0
    /// The slowest input: its index and seconds.
    public var slowest = (index: 0, seconds: 0.0)
    /// Growth of the process's peak resident memory during the campaign, in MiB.
    public var peakMemoryGrowthMiB = 0

    /// `fuzz KIND: N inputs, E errors, V valid, 0 crashes (…)`, one line for the notes.
    public var summary: String {
        let time = String(format: "%.1f s, slowest #%d %.0f ms, peak RSS +%d MiB", seconds, slowest.index, slowest.seconds * 1000, peakMemoryGrowthMiB)
        return "fuzz \(kind): \(inputs) inputs, \(errors) errors, \(valid) valid, 0 crashes (\(time))"
    }
}

/// Runs `settings.iterations` fuzz inputs of one kind and prints the tally's summary.
///
/// Input `i` comes from `makeInput` with a mutator seeded by (kind, `settings.seed`, i), so any
/// input can be replayed alone. `parse` must return nil for a valid result, a sentence saying
/// what is wrong with a result it accepted, or throw. A thrown `Failure` counts as an error and
/// must describe itself in one non-empty line; any other error type, a bad valid result, or an
/// input slower than `settings.slowInputLimitSeconds` fails the test with the input described.
@discardableResult
public func runFuzzCampaign<Input, Failure: Error>(
    kind: String, expecting _: Failure.Type, settings: FuzzSettings = .fromEnvironment(),
    file: StaticString = #filePath, line: UInt = #line,
    makeInput: (inout Mutator, Int) -> Input, describe: (Input) -> String, parse: (Input) throws -> String?
) -> FuzzTally {
    var tally = FuzzTally(kind: kind)
    var failures = 0
    func fail(_ index: Int, _ input: Input, _ problem: String) {
        failures += 1
        guard failures <= 20 else { return }
        XCTFail("fuzz \(kind) #\(index) (seed \(settings.seed)): \(problem); input: \(shortened(describe(input)))", file: file, line: line)
    }
    let memoryBefore = peakResidentMiB()
    let start = Date()
    let kindSeed = kind.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    for index in 0..<settings.iterations {
        var mutator = Mutator(seed: (kindSeed ^ settings.seed) &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let input = makeInput(&mutator, index)
        if settings.trace { print("fuzz \(kind) #\(index): \(shortened(describe(input)))") }
        let inputStart = Date()
        do {
            if let problem = try parse(input) { fail(index, input, "accepted with a bad result: \(problem)") }
            tally.valid += 1
        } catch let error as Failure {
            tally.errors += 1
            let text = String(describing: error)
            if text.isEmpty || text.contains(where: \.isNewline) {
                fail(index, input, "error message is empty or not one line: \(shortened(text))")
            }
        } catch {
            fail(index, input, "threw \(type(of: error)), not \(Failure.self): \(shortened("\(error)"))")
        }
        let elapsed = Date().timeIntervalSince(inputStart)
        if elapsed > tally.slowest.seconds { tally.slowest = (index, elapsed) }
        if elapsed > settings.slowInputLimitSeconds { fail(index, input, "took \(elapsed) s") }
        tally.inputs += 1
    }
    tally.seconds = Date().timeIntervalSince(start)
    tally.peakMemoryGrowthMiB = peakResidentMiB() - memoryBefore
    if failures > 20 { XCTFail("fuzz \(kind): \(failures - 20) more failures not shown", file: file, line: line) }
    print(tally.summary)
    return tally
}

/// A fresh empty directory for fuzz files, in memory (`/dev/shm`) where possible: thousands of
/// rewrites of a file on a disk file system cost seconds in block flushes alone.
public func makeFuzzDirectory(_ prefix: String) throws -> URL {
    let shared = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
    guard FileManager.default.isWritableFile(atPath: shared.path) else { return try makeTemporaryDirectory(prefix) }
    let url = shared.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// At most 300 characters of `text`, with line breaks and control characters escaped.
public func shortened(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars.prefix(300) {
        out += scalar.properties.generalCategory == .control || scalar.properties.isWhitespace && scalar != " "
            ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return text.unicodeScalars.count > 300 ? out + "… (\(text.unicodeScalars.count) scalars)" : out
}

/// The process's peak resident memory so far, in MiB.
public func peakResidentMiB() -> Int {
    var usage = rusage()
    #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss) >> 20
    #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) >> 10
    #endif
}
