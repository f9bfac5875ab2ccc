import HebbText

/// Finds a dataset family's files in an ordered list of search roots.
///
/// Roots, first match wins: (a) an explicit `--datasets DIR`, (b) the `HEBB_DATASETS`
/// environment variable (a `:`-separated list), (c) `<dataRoot>/datasets`, (d)
/// `/usr/share/datasets` (where Debian's `dataset-fashion-mnist` installs). In each root the
/// family's sub-directory (`mnist/`, `cifar-10-batches-bin/`, `imagenette2-160/`, …: the name
/// the official archive unpacks to) is searched, and for MNIST also the root itself. For MNIST
/// and Fashion-MNIST a directory matches only when it holds all four files, each as `name` or
/// `name.gz`; for the other families when it holds every entry the load will read.
/// The library never reads the process environment itself: the caller passes it in.
public struct DatasetLocator: Sendable, Equatable {
    /// Name of the environment variable holding extra search roots.
    public static let environmentVariable = "HEBB_DATASETS"
    /// The system-wide root searched last.
    public static let systemRoot = "/usr/share/datasets"

    /// Search roots in order, duplicates removed.
    public let roots: [URL]

    /// Roots from the CLI option, the environment, the data root and the system root.
    public init(
        explicitRoot: String? = nil, environment: [String: String] = [:], dataRoot: String? = nil,
        systemRoot: String? = DatasetLocator.systemRoot
    ) {
        var paths: [String] = []
        if let explicitRoot, !explicitRoot.isEmpty { paths.append(explicitRoot) }
        if let fromEnvironment = environment[Self.environmentVariable] {
            paths += fromEnvironment.split(separator: ":").map(String.init)
        }
        if let dataRoot, !dataRoot.isEmpty {
            paths.append(URL(fileURLWithPath: dataRoot).appendingPathComponent("datasets").path)
        }
        if let systemRoot { paths.append(systemRoot) }
        self.init(roots: paths)
    }

    /// Exactly these roots, in order (relative paths resolve against the working directory).
    public init(roots: [String]) {
        var seen = Set<String>()
        self.roots = roots.compactMap { path in
            let url = URL(fileURLWithPath: path).standardizedFileURL
            return seen.insert(url.path).inserted ? url : nil
        }
    }

    /// Every directory searched for `family`, in order.
    public func candidateDirectories(for family: DatasetFamily) -> [URL] {
        roots.flatMap { root in
            let nested = root.appendingPathComponent(family.directoryName, isDirectory: true)
            return family.allowsFilesAtRoot ? [nested, root] : [nested]
        }
    }

    /// The first directory holding all four IDX files of `family` (MNIST and Fashion-MNIST;
    /// other families use `locateDirectory(named:containing:key:)`); `key` only labels the error.
    ///
    /// - Throws: `DataError.datasetNotFound` listing every directory searched.
    public func locate(family: DatasetFamily, key: String? = nil) throws -> DatasetFiles {
        let names = family.files
        let candidates = candidateDirectories(for: family)
        var firstMissing: String?
        for directory in candidates {
            let found = names.all.map { Self.existingFile(named: $0, in: directory) }
            let present = found.compactMap { $0 }
            if present.count == found.count {
                return DatasetFiles(
                    directory: directory, trainImages: present[0], trainLabels: present[1],
                    testImages: present[2], testLabels: present[3])
            }
            // Report the file missing from the first directory that has any of them.
            if firstMissing == nil, !present.isEmpty,
                let index = found.firstIndex(where: { $0 == nil })
            {
                firstMissing = names.all[index]
            }
        }
        throw DataError.datasetNotFound(
            key: key ?? family.rawValue, file: firstMissing ?? names.trainImages,
            searched: candidates.map(\.path))
    }

    /// The first `<root>/<directoryName>` holding every entry of `required` (relative paths;
    /// a trailing `/` asks for a directory, anything else for a regular file); `key` labels
    /// the error.
    ///
    /// - Throws: `DataError.datasetNotFound` naming the first missing entry of the first
    ///   directory that exists (else the first entry) and listing every directory searched.
    public func locateDirectory(named directoryName: String, containing required: [String], key: String) throws -> URL {
        let candidates = roots.map { $0.appendingPathComponent(directoryName, isDirectory: true) }
        var firstMissing: String?
        for directory in candidates {
            let missing = required.first { !Self.exists(entry: $0, in: directory) }
            guard let missing else { return directory }
            if firstMissing == nil, Self.exists(entry: "", in: directory) { firstMissing = missing }
        }
        let shown = (firstMissing ?? required.first ?? "").trimming { $0 == "/" }
        throw DataError.datasetNotFound(
            key: key, file: shown.isEmpty ? directoryName : "\(directoryName)/\(shown)", searched: candidates.map(\.path))
    }

    /// Whether `directory/entry` exists as a directory (entry empty or ending in `/`) or as a
    /// regular file.
    static func exists(entry: String, in directory: URL) -> Bool {
        let wantsDirectory = entry.isEmpty || entry.hasSuffix("/")
        let url = entry.isEmpty ? directory : directory.appendingPathComponent(entry)
        guard let isDirectory = isFolder(atPath: url.path) else { return false }
        return isDirectory == wantsDirectory
    }

    /// `directory/name` if it is a regular file, else `directory/name.gz`, else nil.
    static func existingFile(named name: String, in directory: URL) -> URL? {
        for candidate in [name, name + ".gz"] {
            let url = directory.appendingPathComponent(candidate)
            if isFolder(atPath: url.path) == false {
                return url
            }
        }
        return nil
    }
}
