import Foundation
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
    /// Block folder key per block.
    public var blockKeys: [String]
}

/// Result layout under the data root (SoftHebb spec §5.1, with our own block naming):
/// `<root>/hebb/result/network/<model-name>/{model.safetensors, config.json, metrics.jsonl,
/// summary.json}` and `<root>/hebb/result/layer/<block-key>/{block.safetensors, config.json}`.
public struct RunStore: Sendable {
    /// `<root>/hebb/result`.
    public let resultRoot: URL
    /// The run's network folder.
    public let networkFolder: URL

    /// The store for `modelName` under `dataRoot`.
    public init(dataRoot: String, modelName: String) {
        resultRoot = URL(fileURLWithPath: dataRoot).appendingPathComponent("hebb/result", isDirectory: true)
        networkFolder = resultRoot.appendingPathComponent("network/\(modelName)", isDirectory: true)
    }

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

    /// A deterministic key for block `index`: its config, its upstream blocks' keys, and the data
    /// and seed that trained it, hashed (FNV-1a 64) — two runs share a folder only when all agree.
    public static func blockKeys(model: ResolvedModel, seed: Int, unsupervisedDataset: String, supervisedDataset: String) -> [String] {
        var keys: [String] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (i, block) in model.blocks.enumerated() {
            let config = (try? encoder.encode(block)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let identity = [config, keys.joined(separator: ","), unsupervisedDataset, supervisedDataset, "\(seed)"].joined(separator: "|")
            let label = block.config.layer.kind.isHebbian ? block.config.layer.kind.rawValue : "bp"
            keys.append("block\(i)-\(label)-\(block.inputFeatures)x\(block.outputFeatures)-\(fnv1a(identity))")
        }
        return keys
    }

    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    /// Writes the network checkpoint and its record (each atomically).
    public func saveNetwork(_ model: Model, record: RunRecord) throws {
        try SafeTensorsArchive(tensors: model.namedTensors(), metadata: ["format": "hebb-network", "model": record.model.name])
            .save(to: modelFile)
        try AtomicFile.write(try RunStore.json(record), to: configFile)
    }

    /// Writes block `index`'s tensors (names relative to the block) and config to its folder.
    public func saveBlock(_ model: Model, index: Int, record: RunRecord) throws {
        let prefix = "blocks.\(index)."
        let tensors = model.namedTensors().filter { $0.key.hasPrefix(prefix) }
            .reduce(into: [String: Tensor]()) { $0[String($1.key.dropFirst(prefix.count))] = $1.value }
        let folder = blockFolder(record.blockKeys[index])
        try SafeTensorsArchive(tensors: tensors, metadata: ["format": "hebb-block", "key": record.blockKeys[index]])
            .save(to: folder.appendingPathComponent("block.safetensors"))
        try AtomicFile.write(try RunStore.json(record.model.blocks[index]), to: folder.appendingPathComponent("config.json"))
    }

    /// The saved record and tensors, or nil when no network checkpoint exists.
    public func loadNetwork() throws -> (record: RunRecord, tensors: [String: Tensor])? {
        guard FileManager.default.fileExists(atPath: modelFile.path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: configFile) } catch {
            throw CheckpointError.invalidHeader(path: configFile.path, reason: "config.json is missing or unreadable next to the checkpoint")
        }
        guard let record = try? JSONDecoder().decode(RunRecord.self, from: data) else {
            throw CheckpointError.invalidHeader(path: configFile.path, reason: "config.json is not a hebb run record")
        }
        return (record, try SafeTensorsArchive.load(from: modelFile).tensors)
    }

    /// Pretty, key-sorted JSON.
    public static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }
}
