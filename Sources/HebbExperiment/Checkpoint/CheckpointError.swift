import HebbText
import HebbData
import HebbTensor

/// A failure to read or write a safetensors checkpoint; `description` is one line with a hint.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The file ends before the header or the tensor data it declares.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The 8-byte header length is beyond any sane header size (corrupt or not safetensors).
    case invalidHeaderLength(path: String, length: UInt64, fileBytes: Int)
    /// The header is not UTF-8 JSON, not an object, or has a malformed `__metadata__`.
    case invalidHeader(path: String, reason: String)
    /// A tensor entry is malformed: missing field, bad shape, or byte size not matching its shape.
    case invalidEntry(path: String, tensor: String, reason: String)
    /// A tensor uses a dtype this reader does not convert.
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A tensor's `data_offsets` overlap another's, leave a gap, or are reversed.
    case invalidOffsets(path: String, tensor: String, reason: String)
    /// The data section is longer than the tensors it declares.
    case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
    /// A valid checkpoint that belongs to another run: other preset, data shape, record, or kind.
    case mismatch(path: String, reason: String)
    /// A tensor holds NaN or infinity; hebb never saves such weights, so the file is foreign or damaged.
    case nonFinite(path: String, tensor: String)
    /// A command that reads a finished run found no checkpoint there.
    case missingRun(path: String)

    private static let corruptHint =
        "the file is corrupt or not a safetensors checkpoint; "
        + "delete it or rerun without --resume"

    /// One line: what happened, where, and what to try (line breaks in names are escaped).
    public var description: String { message.escapingControlCharacters }

    /// The message before escaping.
    private var message: String {
        switch self {
        case .cannotRead(let path, let reason):
            return "cannot read checkpoint '\(path)': \(reason); check the path and its permissions"
        case .truncated(let path, let expected, let actual):
            return "checkpoint '\(path)' is truncated: expected \(expected) bytes, "
                + "found \(actual); "
                + "the run may have been killed while saving; delete it or rerun without --resume"
        case .invalidHeaderLength(let path, let length, let fileBytes):
            return "checkpoint '\(path)' declares a \(length)-byte header (limit "
                + "\(SafeTensorsArchive.maximumHeaderBytes), file has \(fileBytes) bytes); "
                + Self.corruptHint
        case .invalidHeader(let path, let reason):
            return "checkpoint '\(path)' has an invalid header: \(reason); \(Self.corruptHint)"
        case .invalidEntry(let path, let tensor, let reason):
            return "checkpoint '\(path)', tensor '\(tensor)': \(reason); \(Self.corruptHint)"
        case .unsupportedDType(let path, let tensor, let dtype):
            return "checkpoint '\(path)', tensor '\(tensor)': unsupported dtype '\(dtype)' "
                + "(supported: F32, F64, F16, BF16); convert it to F32 before loading"
        case .invalidOffsets(let path, let tensor, let reason):
            return "checkpoint '\(path)', tensor '\(tensor)': bad data_offsets: \(reason); "
                + Self.corruptHint
        case .trailingBytes(let path, let expected, let actual):
            return "checkpoint '\(path)' has \(actual) data bytes but its tensors cover "
                + "\(expected); \(Self.corruptHint)"
        case .mismatch(let path, let reason):
            return "checkpoint '\(path)' does not belong to this run: \(reason); resume with the "
                + "run's own preset and datasets, or choose another --model-name"
        case .nonFinite(let path, let tensor):
            return "checkpoint '\(path)', tensor '\(tensor)' holds NaN or infinite values; "
                + "delete it or rerun without --resume"
        case .missingRun(let path):
            return "no trained run at '\(path)'; train it first, or check --model-name and --data-root"
        }
    }
}
