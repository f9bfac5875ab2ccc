import HebbModel
import HebbTensor
import HebbText

/// pytorch-hebbian's controls beside `--training-blocks`: frozen blocks, and weights loaded from
/// another run into chosen blocks before training (its `load_weights(model, path, layer_names)`).
public struct InitialWeights: Sendable, Equatable {
    /// A run name under the data root, a run folder, or a `.safetensors` file.
    public var source: String
    /// Blocks to load (nil: every block but the last, the classifier).
    public var blocks: [Int]?

    /// Loads from `source` into `blocks`.
    public init(source: String, blocks: [Int]?) {
        (self.source, self.blocks) = (source, blocks)
    }

    /// The source's tensors and the path they came from: a file, a folder's model.safetensors,
    /// or the network checkpoint of run `source` under `dataRoot`.
    func tensors(dataRoot: String) throws -> (tensors: [String: Tensor], path: String) {
        let file: URL
        if source.hasSuffix(".safetensors") {
            file = URL(fileURLWithPath: source)
        } else if isFolder(atPath: source) == true {
            file = URL(fileURLWithPath: source).appendingPathComponent("model.safetensors")
        } else {
            file = RunStore(dataRoot: dataRoot, modelName: source).modelFile
        }
        guard FileManager.default.fileExists(atPath: file.path) else { throw CheckpointError.missingRun(path: file.path) }
        let archive = try SafeTensorsArchive.load(from: file)
        if let bad = archive.tensors.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite }) {
            throw CheckpointError.nonFinite(path: file.path, tensor: bad.key)
        }
        return (archive.tensors, file.path)
    }

    /// Loads the chosen blocks into `model`; returns a lineage identity per loaded block (a hash of
    /// its tensors' bytes), so block folders of runs started from other weights never mix.
    func load(into model: inout Model, dataRoot: String) throws -> [Int: String] {
        let (tensors, path) = try tensors(dataRoot: dataRoot)
        let chosen = blocks ?? Array(0..<max(0, model.blocks.count - 1))
        if let bad = chosen.first(where: { $0 < 0 || $0 >= model.blocks.count }) {
            throw ConfigError.badBlock(preset: source, block: bad, reason: "--init-blocks names a block the model does not have (it has \(model.blocks.count))")
        }
        let problems = model.load(tensors, blockIndices: Set(chosen))
        guard problems.isEmpty else {
            throw CheckpointError.mismatch(path: path, reason: "its blocks \(chosen) do not fit this model: \(problems[0])")
        }
        var identities: [Int: String] = [:]
        for i in chosen {
            let prefix = "blocks.\(i)."
            let bytes = tensors.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }
                .map { "\($0.key):" + $0.value.scalars.map { String($0.bitPattern, radix: 16) }.joined(separator: ",") }
                .joined(separator: "|")
            identities[i] = "loaded:" + BlockLineage.hash(bytes)
        }
        return identities
    }
}
