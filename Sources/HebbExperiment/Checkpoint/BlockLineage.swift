import HebbText
import HebbModel
import HebbTensor

/// Block folder keys that name what a block's weights are: its configuration and everything that
/// shaped them, so a later run can reuse a saved block exactly when it would train the same one.
///
/// A block starts as its seeded initialisation, which depends on the seed and the configurations
/// of it and every block before it (one generator draws them in order). A phase that trains blocks
/// B turns each into a function of the phase (kind, blocks, dataset key, epochs, batch size, rate,
/// validation split, seed) and of the weights of every block the phase runs through: blocks up
/// to max(B) for an unsupervised phase, the whole model otherwise. Keys hash that history
/// (FNV-1a 64), so 3- and 4-layer runs with the same first blocks share their folders.
public struct BlockLineage: Sendable, Equatable {
    /// Key of every block after each phase: `afterPhase[p][i]`.
    public let afterPhase: [[String]]
    /// Keys before any phase (the seeded initialisation).
    public let initial: [String]

    /// Lineage of `model` trained by `phases` with `seed`; `validation` says whether the
    /// unsupervised and supervised training sets lost their 20 % validation split; `loaded`
    /// replaces the initial identity of blocks whose weights came from elsewhere; `dataSeeds`
    /// (default: `seed` for both) seed each phase's data order (`--seed-unsup`).
    public init(
        model: ResolvedModel, phases: [Phase], seed: Int, validation: (unsupervised: Bool, supervised: Bool),
        loaded: [Int: String] = [:], dataSeeds: (unsupervised: Int, supervised: Int)? = nil
    ) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let configs = model.blocks.map { (try? encoder.encode($0)).map { String(decoding: $0, as: UTF8.self) } ?? "" }
        var identity = configs.indices.map { i in
            BlockLineage.hash("init|\(seed)|" + configs[...i].joined(separator: "|"))
        }
        for (i, source) in loaded where identity.indices.contains(i) { identity[i] = BlockLineage.hash(source) }
        initial = zip(model.blocks.indices, identity).map { BlockLineage.key(model, block: $0, identity: $1) }
        var after: [[String]] = []
        for phase in phases {
            let reach = phase.kind == .unsupervised ? (phase.blocks.max() ?? 0) : model.blocks.count - 1
            let split = phase.kind == .unsupervised ? validation.unsupervised : validation.supervised
            let dataSeed = dataSeeds.map { phase.kind == .unsupervised ? $0.unsupervised : $0.supervised } ?? seed
            let description = [
                phase.kind.rawValue, phase.blocks.map(String.init).joined(separator: ","), phase.datasetKey,
                "\(phase.epochs)", "\(phase.batchSize)", phase.learningRate.map { "\($0)" } ?? "-", "\(split)", "\(seed)/\(dataSeed)",
            ].joined(separator: "|")
            let inputs = identity[...min(reach, identity.count - 1)].joined(separator: ",")
            for i in phase.blocks where i < identity.count {
                identity[i] = BlockLineage.hash("\(description)|\(i)|\(configs[i])|\(inputs)")
            }
            after.append(zip(model.blocks.indices, identity).map { BlockLineage.key(model, block: $0, identity: $1) })
        }
        afterPhase = after
    }

    /// Keys after the whole plan (the record's block keys).
    public var final: [String] { afterPhase.last ?? initial }

    /// `block<i>-<rule or bp>-<in>x<out>-<hash>`: readable prefix, exact hash.
    static func key(_ model: ResolvedModel, block i: Int, identity: String) -> String {
        let block = model.blocks[i]
        let label = block.config.layer.kind.isHebbian ? block.config.layer.kind.rawValue : "bp"
        return "block\(i)-\(label)-\(block.inputFeatures)x\(block.outputFeatures)-\(identity)"
    }

    /// FNV-1a 64 in hex.
    static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}

extension RunStore {
    /// The saved tensors of a block under `key` (names relative to the block), or nil when none
    /// are saved or the folder holds something else (another key, unreadable, non-finite).
    public func savedBlock(key: String) -> [String: Tensor]? {
        let file = blockFolder(key).appendingPathComponent("block.safetensors")
        guard FileManager.default.fileExists(atPath: file.path),
            let archive = try? SafeTensorsArchive.load(from: file), archive.metadata["key"] == key,
            archive.tensors.values.allSatisfy(\.isFinite)
        else { return nil }
        return archive.tensors
    }

    /// Leading phases of `phases` whose every trained block is saved under its lineage key,
    /// loaded into `model`; returns how many phases that covers.
    public func reuseSavedBlocks(phases: [Phase], lineage: BlockLineage, into model: inout Model, log: (String) -> Void) -> Int {
        var reused = 0
        for (p, phase) in phases.enumerated() {
            var loaded: [String: Tensor] = [:]
            for i in phase.blocks {
                guard let tensors = savedBlock(key: lineage.afterPhase[p][i]) else { return reused }
                for (name, tensor) in tensors { loaded["blocks.\(i).\(name)"] = tensor }
            }
            var candidate = model
            guard candidate.load(loaded, blockIndices: Set(phase.blocks)).isEmpty else { return reused }
            model = candidate
            log("Phase \(p): reused blocks \(phase.blocks) from \(phase.blocks.map { blockFolder(lineage.afterPhase[p][$0]).path }.joined(separator: ", "))")
            reused += 1
        }
        return reused
    }
}
