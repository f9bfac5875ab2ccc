import HebbText
import HebbVisual

/// `hebb view`: one picture of a saved run — a block's weight mosaic from the checkpoint above
/// the metric plots from metrics.jsonl.
public enum RunView {
    /// What was drawn and where.
    public struct Result: Sendable, Equatable {
        /// The picture written.
        public var file: URL
        /// The block shown and its caption.
        public var block: Int, caption: String
        /// Epoch records plotted.
        public var epochs: Int
        /// Picture size in pixels.
        public var width: Int, height: Int
    }

    /// The network folder `run` names: a folder holding model.safetensors, or a model name under
    /// `dataRoot`.
    public static func locate(_ run: String, dataRoot: String) throws -> RunStore {
        let folder = URL(fileURLWithPath: run, isDirectory: true)
        let named = RunStore(dataRoot: dataRoot, modelName: run)
        let candidates = [RunStore(networkFolder: folder), named]
        guard let store = candidates.first(where: { FileManager.default.fileExists(atPath: $0.modelFile.path) }) else {
            throw ViewError.runNotFound(run: run, searched: [folder.standardizedFileURL.path, named.networkFolder.path])
        }
        return store
    }

    /// Draws block `block` (default: the first Hebbian block, else block 0) of the run `run` and
    /// its metrics to `output` (default `<run>/pictures/view-b<i>.png`), atomically.
    public static func render(run: String, dataRoot: String, block: Int? = nil, output: String? = nil) throws -> Result {
        let store = try locate(run, dataRoot: dataRoot)
        guard let (record, tensors) = try store.loadNetwork() else {
            throw ViewError.runNotFound(run: run, searched: [store.networkFolder.path])
        }
        let model = record.model
        let index = block ?? model.blocks.firstIndex { $0.config.layer.kind.isHebbian } ?? 0
        guard model.blocks.indices.contains(index) else {
            throw ViewError.noSuchBlock(block: index, blocks: model.blocks.count, path: store.modelFile.path)
        }
        let name = "blocks.\(index).layer.weight"
        guard let weight = tensors[name], weight.count > 0 else {
            throw CheckpointError.mismatch(path: store.modelFile.path, reason: "it has no tensor '\(name)'")
        }
        let records = try MetricPlots.read(store.metricsFile)
        let caption = WeightPictures.caption(of: weight, block: index, in: model)
        let progress = "\(record.completedPhases)/\(record.phases.count) PHASES DONE"
        let sheet = PictureSheet.column(
            [WeightPictures.mosaic(of: weight, block: model.blocks[index]), MetricPlots.sheet(records)],
            title: "\(store.networkFolder.lastPathComponent)  \(caption)  \(progress)")
        let file = output.map { URL(fileURLWithPath: $0) }
            ?? store.picturesFolder.appendingPathComponent("view-b\(index).png")
        try AtomicFile.write(PNGEncoder.encode(sheet), to: file)
        return Result(file: file, block: index, caption: caption, epochs: records.count, width: sheet.width, height: sheet.height)
    }
}
