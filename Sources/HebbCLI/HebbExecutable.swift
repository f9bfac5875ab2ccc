import HebbText

/// Finds the hebb executable that search trials run.
enum HebbExecutable {
    /// `--hebb PATH`, else `$HEBB_BINARY`, else this process's executable (`/proc/self/exe`, else
    /// `argv[0]` when it is a path) when it is named `hebb` (not when the CLI runs inside a test
    /// runner); paths with a `/` are made absolute.
    static func locate(option: String?, environment: [String: String]) -> String? {
        if let given = option ?? environment["HEBB_BINARY"], !given.isEmpty {
            return given.contains("/") ? SearchCommand.absolute(given) : given
        }
        let candidates = [
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            CommandLine.arguments.first.flatMap { $0.contains("/") ? $0 : nil },
        ]
        for case let path? in candidates where PathText.lastComponent(path) == "hebb" {
            return SearchCommand.absolute(path)
        }
        return nil
    }

    /// `path` when it names an executable file, directly or through `PATH`, else nil.
    static func resolve(_ path: String, environment: [String: String]) -> String? {
        if path.contains("/") { return FileManager.default.isExecutableFile(atPath: path) ? path : nil }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(path)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
