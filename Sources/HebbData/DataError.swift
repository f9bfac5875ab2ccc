import HebbText

/// Every way loading a dataset can fail. Each `description` is one line: what happened, where
/// (the path or key), and a hint on how to fix it.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file exists but could not be read (permissions, I/O error, a directory).
    case unreadable(path: String, reason: String)
    /// A gzip stream is malformed or ends early.
    case corruptGzip(path: String)
    /// The first four bytes of an IDX file are not the expected magic (hex strings).
    case badMagic(expected: String, found: String, path: String)
    /// The file is shorter than its header says.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The file is longer than its header says.
    case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
    /// The header's dimensions multiply to more than the file (or memory) could hold.
    case dimensionsTooLarge(path: String, dimensions: [Int], actualBytes: Int)
    /// The images have a shape other than the dataset's (channels, height, width).
    case shapeMismatch(path: String, expected: [Int], found: [Int])
    /// The image and label files disagree on the number of samples.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// A label is outside `0..<classCount`.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
    /// The SHA-256 of the uncompressed bytes differs from the published value.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// No search directory holds the dataset's files.
    case datasetNotFound(key: String, file: String, searched: [String])
    /// The dataset key is not in the catalog.
    case unknownDatasetKey(_ key: String, suggestion: String?)
    /// The configuration cannot produce a training set (no samples of the requested classes, …).
    case invalidConfig(key: String, reason: String)
    /// A file of fixed-size records (CIFAR, STL-10) is empty or not a whole number of records.
    case badRecordSize(path: String, bytes: Int, recordBytes: Int, record: String)
    /// An image file could not be decoded (corrupt, truncated, not a JPEG, absurdly large).
    case corruptImage(path: String, reason: String)
    /// An image-folder dataset directory holds no class folders with images.
    case noImages(path: String, reason: String)

    /// One line: what, where, hint (line breaks in quoted keys and paths are escaped).
    public var description: String { message.escapingControlCharacters }

    /// The message before escaping.
    private var message: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason); check that the file exists and is readable"
        case .corruptGzip(let path):
            return "corrupt or truncated gzip data in \(path); "
                + "re-download the file or check it with `gzip -t \(path)`"
        case .badMagic(let expected, let found, let path):
            return "bad magic in \(path): expected \(expected), found \(found); "
                + "this is not an uncompressed (or .gz) IDX file of the expected kind"
        case .truncated(let path, let expectedBytes, let actualBytes):
            return "truncated file \(path): header promises \(expectedBytes) bytes, "
                + "file has \(actualBytes); re-download or re-extract it"
        case .trailingBytes(let path, let expectedBytes, let actualBytes):
            return "file \(path) is too long: header promises \(expectedBytes) bytes, "
                + "file has \(actualBytes); it is damaged or not an IDX file"
        case .dimensionsTooLarge(let path, let dimensions, let actualBytes):
            return "absurd dimensions \(dimensions) in \(path) (file has \(actualBytes) bytes); "
                + "the header is damaged"
        case .shapeMismatch(let path, let expected, let found):
            return "images in \(path) have shape \(found), expected \(expected); "
                + "point --datasets at the right dataset family"
        case .countMismatch(let imagesPath, let images, let labelsPath, let labels):
            return "\(images) images in \(imagesPath) but \(labels) labels in \(labelsPath); "
                + "the files come from different splits or datasets"
        case .labelOutOfRange(let path, let index, let label, let classCount):
            return "label \(label) at index \(index) in \(path) is outside 0..<\(classCount); "
                + "the label file is damaged or belongs to another dataset"
        case .checksumMismatch(let path, let expected, let actual):
            return "SHA-256 mismatch for \(path): expected \(expected), got \(actual); "
                + "the file is damaged or modified, re-download it"
        case .datasetNotFound(let key, let file, let searched):
            let list = searched.isEmpty ? "(no directories)" : searched.joined(separator: ", ")
            let family = DatasetFamily(key: key) ?? .mnist
            let name = family.storage == .idx ? "\(file) (or \(file).gz)" : file
            return "dataset \(key): \(name) not found; searched: \(list); \(family.downloadHint)"
        case .unknownDatasetKey(let key, let suggestion):
            let hint = suggestion.map { "did you mean '\($0)'?" } ?? "see the list of dataset keys"
            return "unknown dataset key '\(key)'; \(hint)"
        case .invalidConfig(let key, let reason):
            return "dataset \(key): \(reason); fix the dataset configuration"
        case .badRecordSize(let path, let bytes, let recordBytes, let record):
            let name = PathText.lastComponent(path)
            let problem = bytes == 0 ? "the file is empty" : "\(bytes) bytes is not a multiple of the \(recordBytes)-byte \(record)"
            return "\(name): \(problem) (\(path)); the file is truncated or damaged, re-download or re-extract it"
        case .corruptImage(let path, let reason):
            return "cannot decode image \(path): \(reason); delete or replace the file"
        case .noImages(let path, let reason):
            return "no images in \(path): \(reason); it should hold one folder of .JPEG files per class"
        }
    }
}

extension String {
    /// This text with line breaks and other control characters escaped (`\n`, `\u{2028}`), so
    /// an error message quoting a hostile key, path or tensor name stays on one line.
    public var escapingControlCharacters: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: out += scalar.escaped(asASCII: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension DataError {
    /// A short reason for a failed read: `permission denied`, `no such file`, the POSIX message
    /// when Foundation wraps one, else the error's description without its final period.
    public static func readFailureReason(_ error: Error) -> String {
        let cocoa = error as? CocoaError
        if let cocoa {
            switch cocoa.code {
            case .fileReadNoPermission: return "permission denied"
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
            case .fileReadTooLarge: return "file too large to read"
            default: break
            }
        }
        if let posix = error as? POSIXError ?? cocoa?.underlying as? POSIXError {
            return systemMessage(posix.code.rawValue)
        }
        var text = cocoa.map { "file error \($0.code.rawValue)" } ?? String(describing: error)
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The reason for a failed `open(2)` or `read(2)` with `errno` `code`, worded as
    /// `readFailureReason` words Foundation's error for it: `no such file`, `permission denied`,
    /// else `strerror`.
    static func readFailureReason(errno code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        default: return systemMessage(code)
        }
    }

    /// `strerror(code)`.
    private static func systemMessage(_ code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "errno \(code)"
    }
}
