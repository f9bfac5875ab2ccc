import HebbText
import HebbData
import HebbModel
import HebbTensor

/// `hebb probe`: a linear probe (`LinearProbe`) of a saved run's frozen blocks. It writes
/// `probe.json` (settings, every epoch, the best score) and `probe.safetensors` (the network with
/// the best head) into the run folder and leaves the run's own checkpoint alone.
public enum Probe {
    /// What to probe: a run under a data root, the data to probe it on, and the settings.
    public struct Request: Sendable {
        /// The run folder name and the data root it is under.
        public var modelName: String, dataRoot: String
        /// Supervised dataset key (nil: the run's).
        public var dataset: String?
        /// Explicit datasets folder and environment (`HEBB_DATASETS`).
        public var datasetsDirectory: String?, environment: [String: String] = [:]
        /// Evaluate on 20 % held out of the training set instead of the test set.
        public var validation = false
        /// Write probe.json and probe.safetensors.
        public var save = true
        /// Probe hyper-parameters.
        public var settings = LinearProbe.Settings()

        /// A request for run `modelName` under `dataRoot`.
        public init(modelName: String, dataRoot: String) {
            (self.modelName, self.dataRoot) = (modelName, dataRoot)
        }
    }

    /// Runs the probe; progress lines go to `log`.
    public static func run(_ request: Request, log: (String) -> Void) throws -> LinearProbe.Result {
        let store = RunStore(dataRoot: request.dataRoot, modelName: request.modelName)
        guard let (record, tensors) = try store.loadNetwork() else {
            throw CheckpointError.missingRun(path: store.modelFile.path)
        }
        var rng = SeededGenerator(seed: UInt64(bitPattern: Int64(record.seed)))
        var model = ModelBuilder.build(record.model, using: &rng)
        let problems = model.load(tensors, blockIndices: Set(record.model.blocks.indices))
        guard problems.isEmpty else {
            throw CheckpointError.mismatch(path: store.modelFile.path, reason: "its tensors do not fit its record: \(problems[0])")
        }
        var config = try DatasetCatalog.resolve(key: request.dataset ?? record.supervisedDataset)
        config.seed = record.seed
        let shape = record.model.data
        guard [config.channels, config.height, config.width, config.classCount] == [shape.channels, shape.height, shape.width, shape.classCount] else {
            throw CheckpointError.mismatch(
                path: store.modelFile.path,
                reason: "it was trained on \(shape.channels)×\(shape.height)×\(shape.width) images of \(shape.classCount) classes, not \(config.key)'s")
        }
        let locator = DatasetLocator(explicitRoot: request.datasetsDirectory, environment: request.environment, dataRoot: request.dataRoot)
        let data = try DatasetSplits.load(config: config, locator: locator, validation: request.validation)
        try data.requireLabels()
        log("probe of \(store.networkFolder.path): blocks 0…\(record.model.blocks.count - 2) frozen, a fresh b\(record.model.blocks.count - 1) on \(config.key)")
        let (result, best) = try LinearProbe.run(model: model, resolved: record.model, data: data, settings: request.settings, log: log)
        if request.save {
            try AtomicFile.write(try RunStore.json(result), to: store.networkFolder.appendingPathComponent("probe.json"))
            try SafeTensorsArchive(tensors: best.namedTensors(), metadata: ["format": "hebb-probe", "model": record.model.name])
                .save(to: store.networkFolder.appendingPathComponent("probe.safetensors"))
        }
        return result
    }
}
