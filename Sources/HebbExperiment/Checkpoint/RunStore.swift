import HebbText
import HebbModel
import HebbTensor

/// What a network folder records besides its tensors (config.json).
public struct RunRecord: Codable, Sendable, Equatable {
    /// Format version.
    public var version = 1
    /// The resolved model.
    public var model: ResolvedModel
    /// The phase plan.
    public var phases: [Phase]
    /// Leading phases of `phases` that finished.
    public var completedPhases: Int
    /// Seed and dataset keys.
    public var seed: Int, unsupervisedDataset: String, supervisedDataset: String
    /// Block folder key per block after the whole plan (`BlockLineage`).
    public var blockKeys: [String]
    /// Lines of metrics.jsonl that belong to this checkpoint; later lines (an epoch the run was
    /// killed in) are cut on resume. Nil in records written before it existed.
    public var metricsLines: Int?
    /// Set in an end-of-epoch checkpoint: phase `completedPhases` is under way and continues
    /// after this. Nil at phase boundaries.
    public var progress: PhaseProgress?
}

/// Result layout under the data root (SoftHebb spec §5.1, with our own block naming):
/// `<root>/hebb/result/network/<model-name>/{model.safetensors, config.json, metrics.jsonl,
/// summary.json}` and `<root>/hebb/result/layer/<block-key>/{block.safetensors, config.json}`.
public struct RunStore: Sendable {
    /// The data root.
    public let dataRoot: URL
    /// `<root>/hebb/result`.
    public let resultRoot: URL
    /// The run's network folder.
    public let networkFolder: URL

    /// The store for `modelName` under `dataRoot`.
    public init(dataRoot: String, modelName: String) {
        self.dataRoot = URL(fileURLWithPath: dataRoot, isDirectory: true)
        resultRoot = self.dataRoot.appendingPathComponent("hebb/result", isDirectory: true)
        networkFolder = resultRoot.appendingPathComponent("network/\(modelName)", isDirectory: true)
    }

    /// The store whose network folder is `networkFolder` (`<root>/hebb/result/network/<name>`).
    public init(networkFolder: URL) {
        self.networkFolder = networkFolder.standardizedFileURL
        resultRoot = self.networkFolder.deletingLastPathComponent().deletingLastPathComponent()
        dataRoot = resultRoot.deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Weight mosaics and metric plots.
    public var picturesFolder: URL { networkFolder.appendingPathComponent("pictures", isDirectory: true) }
    /// TensorBoard event files.
    public var tensorBoardFolder: URL { networkFolder.appendingPathComponent("tensorboard", isDirectory: true) }

    /// Network checkpoint path.
    public var modelFile: URL { networkFolder.appendingPathComponent("model.safetensors") }
    /// Run record path.
    public var configFile: URL { networkFolder.appendingPathComponent("config.json") }
    /// Per-epoch metrics path.
    public var metricsFile: URL { networkFolder.appendingPathComponent("metrics.jsonl") }
    /// Summary path.
    public var summaryFile: URL { networkFolder.appendingPathComponent("summary.json") }
    /// A block folder.
    public func blockFolder(_ key: String) -> URL { resultRoot.appendingPathComponent("layer/\(key)", isDirectory: true) }

    /// Fails early, before any training, when results cannot be written: the data root must exist
    /// or have an existing parent, and the run's network folder must accept new files. Also removes
    /// temporary files that killed runs left there (and in its pictures and tensorboard folders).
    public func prepare() throws {
        let root = dataRoot.standardizedFileURL
        if !FileManager.default.fileExists(atPath: root.path) {
            let parent = root.deletingLastPathComponent()
            guard FileManager.default.fileExists(atPath: parent.path) else {
                throw PersistenceError.missingParent(path: root.path, parent: parent.path)
            }
        }
        try AtomicFile.checkWritable(networkFolder)
        for folder in [networkFolder, picturesFolder, tensorBoardFolder] { AtomicFile.removeStaleTemporaries(in: folder) }
    }

    /// Writes the network checkpoint, then config.json (each atomically). The record also goes into
    /// the checkpoint's metadata, so the rename of model.safetensors commits weights and record
    /// together; config.json is the readable copy (stale for a moment if killed in between).
    public func saveNetwork(_ model: Model, record: RunRecord, optimizer: [String: Tensor] = [:]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // same record, same bytes: checkpoints stay reproducible
        let compact = String(decoding: try encoder.encode(record), as: UTF8.self)
        let metadata = ["format": "hebb-network", "model": record.model.name, "record": compact]
        var tensors = model.namedTensors()
        for (name, tensor) in optimizer { tensors[RunStore.optimizerPrefix + name] = tensor }
        try SafeTensorsArchive(tensors: tensors, metadata: metadata).save(to: modelFile)
        try AtomicFile.write(try RunStore.json(record), to: configFile)
    }

    /// Prefix of the optimiser state an end-of-epoch checkpoint carries beside the weights.
    public static let optimizerPrefix = "optimizer."

    /// Writes block `index`'s tensors (names relative to the block) and config to the folder of
    /// `key` (its `BlockLineage` key after the phase that trained it).
    public func saveBlock(_ model: Model, index: Int, key: String, record: RunRecord) throws {
        let prefix = "blocks.\(index)."
        let tensors = model.namedTensors().filter { $0.key.hasPrefix(prefix) }
            .reduce(into: [String: Tensor]()) { $0[String($1.key.dropFirst(prefix.count))] = $1.value }
        let folder = blockFolder(key)
        try SafeTensorsArchive(tensors: tensors, metadata: ["format": "hebb-block", "key": key])
            .save(to: folder.appendingPathComponent("block.safetensors"))
        try AtomicFile.write(try RunStore.json(record.model.blocks[index]), to: folder.appendingPathComponent("config.json"))
    }

    /// The saved record and tensors, or nil when no network checkpoint exists. The record comes
    /// from the checkpoint's metadata (config.json for checkpoints older than that); it must name
    /// the same model as the checkpoint, and every tensor must be finite.
    public func loadNetwork() throws -> (record: RunRecord, tensors: [String: Tensor])? {
        guard FileManager.default.fileExists(atPath: modelFile.path) else { return nil }
        let archive = try SafeTensorsArchive.load(from: modelFile)
        let path = modelFile.path
        if let format = archive.metadata["format"], format != "hebb-network" {
            throw CheckpointError.mismatch(path: path, reason: "its format is '\(format)', not a hebb network checkpoint ('hebb-network')")
        }
        // config.json must parse even when the checkpoint embeds its record: our writes are
        // atomic, so an unparseable one means outside damage. A parseable but different one was
        // left by a kill between the two renames and is superseded by the embedded record.
        var fromConfig: RunRecord?
        if FileManager.default.fileExists(atPath: configFile.path) {
            guard let data = try? Data(contentsOf: configFile) else {
                throw CheckpointError.invalidHeader(path: configFile.path, reason: "config.json is unreadable next to the checkpoint")
            }
            guard let decoded = try? GuardedJSON.decode(RunRecord.self, from: data) else {
                throw CheckpointError.invalidHeader(path: configFile.path, reason: "config.json is not a hebb run record")
            }
            fromConfig = decoded
        }
        let record: RunRecord
        if let embedded = archive.metadata["record"] {
            guard let decoded = try? GuardedJSON.decode(RunRecord.self, from: Data(embedded.utf8)) else {
                throw CheckpointError.invalidHeader(path: path, reason: "its __metadata__ 'record' is not a hebb run record")
            }
            record = decoded
        } else if let fromConfig {
            record = fromConfig
        } else {
            throw CheckpointError.invalidHeader(path: configFile.path, reason: "config.json is missing next to the checkpoint")
        }
        if let name = archive.metadata["model"], name != record.model.name {
            throw CheckpointError.mismatch(path: path, reason: "its tensors are of model '\(name)' but its record describes '\(record.model.name)'")
        }
        if let bad = archive.tensors.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
            throw CheckpointError.nonFinite(path: path, tensor: bad.key)
        }
        return (record, archive.tensors)
    }

    /// Pretty, key-sorted JSON.
    public static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }
}
