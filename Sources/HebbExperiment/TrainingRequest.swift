/// Which saved state `--resume` loads.
public enum ResumeMode: String, Codable, Sendable, CaseIterable {
    /// The whole network.
    case all
    /// Every block but the last (the classifier comes from the current preset).
    case withoutClassifier = "without_classifier"
}

/// Everything `hebb train` needs, typed; the CLI fills it from arguments and environment.
public struct TrainingRequest: Sendable, Equatable {
    /// Preset name or `+`-joined layer strings.
    public var preset: String
    /// Unsupervised dataset key.
    public var unsupervisedDataset = "MNIST"
    /// Supervised dataset key.
    public var supervisedDataset = "MNIST"
    /// Phase planning.
    public var mode: TrainingMode = .successive
    /// Overrides both datasets' seed (SoftHebb's `--seed`); also seeds weight init.
    public var seed: Int?
    /// Overrides the unsupervised dataset's seed and seeds weight init, leaving the supervised
    /// dataset's seed alone (SoftHebb's ray_search trials: spec §5.4, quirk 8).
    public var unsupervisedSeed: Int?
    /// Per-block layer overrides (`--set b0.radius=3.5`), applied in order after the preset.
    public var overrides: [LayerOverride] = []
    /// Run folder name (default: the preset).
    public var modelName: String?
    /// Root of results and datasets.
    public var dataRoot: String
    /// Explicit datasets folder (`--datasets`).
    public var datasetsDirectory: String?
    /// Environment, for `HEBB_DATASETS`.
    public var environment: [String: String] = [:]
    /// What to resume from.
    public var resume: ResumeMode?
    /// Whether to write checkpoints and logs.
    public var save = true
    /// Hold out 20 % of the supervised training set for evaluation (`--validation-sup`).
    public var validationSupervised = false
    /// Hold out 20 % of the unsupervised training set (`--validation-unsup`).
    public var validationUnsupervised = false
    /// Both held out (`--validation`); reads true only when both are.
    public var validation: Bool {
        get { validationSupervised && validationUnsupervised }
        set { (validationSupervised, validationUnsupervised) = (newValue, newValue) }
    }
    /// Load phases whose blocks an earlier run saved under the same lineage key instead of
    /// training them again (`--reuse-blocks`; fresh runs only).
    public var reuseBlocks = false
    /// Blocks never trained (`--freeze-blocks`), taken out of `trainingBlocks`.
    public var frozenBlocks: [Int] = []
    /// Weights loaded into chosen blocks before training (`--init-from`, `--init-blocks`).
    public var initialWeights: InitialWeights?
    /// Whether Hebbian phases write a weight mosaic per epoch (`pictures/`, needs `save`). Off for
    /// library callers (tests); `hebb train` turns it on unless `--pictures false`.
    public var pictures = false
    /// Whether to write a TensorBoard event file (`tensorboard/`, needs `save`).
    public var tensorboard = false
    /// Blocks to train (default all).
    public var trainingBlocks: [Int]?
    /// Presets file instead of the built-in presets.
    public var presetsFile: String?
    /// Where eligible Hebbian phases run (`--device`, `--gpu-id`).
    public var device: ComputeDevice = .cpu

    /// A request for `preset` with results under `dataRoot`.
    public init(preset: String, dataRoot: String) {
        self.preset = preset
        self.dataRoot = dataRoot
    }

    /// The run folder name.
    public var runName: String { modelName ?? preset }
}

/// What a finished run reports (summary.json, snake_case keys like SoftHebb's Ray results:
/// `test_accuracy` in percent).
public struct TrainingSummary: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey {
        case modelName = "model_name", preset, mode, seed
        case unsupervisedDataset = "dataset_unsup", supervisedDataset = "dataset_sup"
        case testAccuracy = "test_accuracy", testLoss = "test_loss", validation
        case phasesRun = "phases_run", phasesSkipped = "phases_skipped"
        case unsupervisedEpochs = "unsupervised_epochs", seconds
        case unsupervisedSeed = "seed_unsup", supervisedSeed = "seed_sup", overrides
    }

    /// Run folder name.
    public var modelName: String
    /// Preset or layer strings.
    public var preset: String
    /// Training mode.
    public var mode: TrainingMode
    /// Seed of weight init (`--seed-unsup`, else `--seed`, else the supervised dataset's).
    public var seed: Int
    /// Unsupervised and supervised dataset keys.
    public var unsupervisedDataset: String, supervisedDataset: String
    /// Final evaluation accuracy, percent (test split, or validation with --validation).
    public var testAccuracy: Float
    /// Final evaluation mean cross-entropy.
    public var testLoss: Float
    /// Whether the figures are on the validation split.
    public var validation: Bool
    /// Phases run now and phases skipped because a resumed run had finished them.
    public var phasesRun: Int, phasesSkipped: Int
    /// Unsupervised epochs over all phases of the plan.
    public var unsupervisedEpochs: Int
    /// Wall time of this invocation, seconds.
    public var seconds: Double
    /// The datasets' seeds (nil in summaries written before they were recorded).
    public var unsupervisedSeed: Int?, supervisedSeed: Int?
    /// The `--set` overrides, as given (nil in older summaries).
    public var overrides: [String]?
}
