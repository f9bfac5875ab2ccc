import HebbText

/// What a search ranks trials by (SoftHebb's `--metric`): loss measures are minimised, every
/// other measure maximised (convergence and R1 too, as in SoftHebb's ray_search).
public enum SearchMetric: String, Codable, Sendable, CaseIterable {
    case trainLoss = "train_loss"
    case trainAccuracy = "train_acc"
    case testLoss = "test_loss"
    case testAccuracy = "test_acc"
    case convergence
    case r1 = "R1"

    /// Whether lower is better.
    public var minimises: Bool { self == .trainLoss || self == .testLoss }
}

/// Everything `hebb search` needs, typed: what every trial trains, the space, and where results go.
public struct SearchRequest: Sendable {
    /// Preset name or `+`-joined layer strings.
    public var preset: String
    /// Dataset keys.
    public var unsupervisedDataset = "MNIST", supervisedDataset = "MNIST"
    /// Phase planning.
    public var mode: TrainingMode = .successive
    /// Blocks to train (default all).
    public var trainingBlocks: [Int]?
    /// The space.
    public var space: SearchSpace
    /// Passes over the grid; each draws the sampled parameters afresh (`--num-samples`).
    public var samples = 1
    /// Seed of the sampled parameters.
    public var sampleSeed: UInt64 = 0
    /// Ranking measure.
    public var metric: SearchMetric = .testAccuracy
    /// Search name: trials are `<folder>/tNNN` runs, the table goes to `hebb/search/<folder>/`.
    public var folderName: String
    /// Data root (made absolute, as trials may run from another folder).
    public var dataRoot: String
    /// Datasets folder passed to every trial.
    public var datasetsDirectory: String?
    /// Presets file passed to every trial.
    public var presetsFile: String?
    /// `--validation-sup true` / `--validation-unsup true` for every trial (`--validation` sets both).
    public var validationSupervised = false, validationUnsupervised = false
    /// `--resume` for every trial.
    public var resume: ResumeMode?
    /// `--threads` for every trial.
    public var threads: Int?
    /// Overrides every trial gets before the space's own (`--set`).
    public var overrides: [LayerOverride] = []

    /// A request for `preset` over `space`.
    public init(preset: String, space: SearchSpace, folderName: String, dataRoot: String) {
        self.preset = preset
        self.space = space
        self.folderName = folderName
        self.dataRoot = dataRoot
    }

    /// SoftHebb-like default folder name: the space and the preset, with characters a folder
    /// name should not have replaced by `_`.
    public static func defaultFolderName(space: String, preset: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")
        return String("\(space)-\(preset)".map { allowed.contains($0) ? $0 : "_" })
    }

    /// Refuses folder names that would escape or nest the search folder.
    static func checkFolderName(_ name: String) throws(SearchError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")
        guard !name.isEmpty, name != ".", name != "..", !name.hasPrefix("-"), name.allSatisfy(allowed.contains) else {
            throw .badRequest("invalid --folder-name '\(name)'", hint: "use letters, digits and . _ + - only, e.g. seeds-2SoftMlpMNIST")
        }
    }

    /// `<data-root>/hebb/search/<folder>`: plan, job files, logs and the trials table.
    public var searchFolder: URL {
        URL(fileURLWithPath: dataRoot, isDirectory: true).appendingPathComponent("hebb/search/\(folderName)", isDirectory: true)
    }

    /// `<data-root>/hebb/result/network/<folder>`: the trials' run folders (what `hebb report` reads).
    public var runsFolder: URL {
        URL(fileURLWithPath: dataRoot, isDirectory: true).appendingPathComponent("hebb/result/network/\(folderName)", isDirectory: true)
    }
}
