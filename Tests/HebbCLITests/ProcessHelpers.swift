import Foundation
import XCTest

/// Child processes for tests that run the real `hebb` executable, bash and GNU parallel.
enum ProcessHelpers {
    /// The `hebb` executable SwiftPM built next to the test bundle (`swift test` builds every
    /// product), else under `.build/debug` of this checkout; nil when neither exists.
    static var hebbExecutable: String? {
        var candidates: [URL] = []
        if let runner = Bundle.main.executablePath { candidates.append(URL(fileURLWithPath: runner).deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(checkout.appendingPathComponent(".build/debug"))
        return candidates.map { $0.appendingPathComponent("hebb").path }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `name` found on PATH (or the usual system folders).
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/local/bin"]
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments` (stdin from `input` when given); returns the exit
    /// status and the combined output.
    static func run(
        _ executable: String, _ arguments: [String], input: URL? = nil, environment: [String: String]? = nil,
        directory: URL? = nil
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        if let input { process.standardInput = try FileHandle(forReadingFrom: input) }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
