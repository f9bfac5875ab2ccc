import HebbText
import HebbData

/// One planned trial: a plain `hebb train` command line with its own model name.
public struct PlannedTrial: Codable, Sendable, Equatable {
    /// 0-based index (the Slurm array index).
    public var index: Int
    /// `<folder>/tNNN`.
    public var modelName: String
    /// Parameter values of the trial.
    public var assignments: [SearchAssignment]
    /// The arguments after the program name, starting with `train`.
    public var arguments: [String]
}

/// Every trial of a search, as written to `hebb/search/<folder>/trials.json`.
public struct SearchPlan: Codable, Sendable, Equatable {
    /// Search folder name.
    public var folderName: String
    /// Absolute data root the trials write under.
    public var dataRoot: String
    /// Space name and the names of its parameters, in order.
    public var space: String, parameters: [String]
    /// Ranking measure.
    public var metric: SearchMetric
    /// The trials.
    public var trials: [PlannedTrial]

    /// The plan file inside a search folder.
    public static let fileName = "trials.json"

    /// Expands `request`'s space into trials and checks every trial's model (preset, datasets,
    /// overrides) the way `hebb train` will, so a bad value fails before anything runs.
    public static func make(_ request: SearchRequest) throws -> SearchPlan {
        try SearchRequest.checkFolderName(request.folderName)
        let trials = try request.space.trials(samples: request.samples, seed: request.sampleSeed)
        let digits = max(3, String(max(0, trials.count - 1)).count)
        var planned: [PlannedTrial] = []
        var base = TrainingRequest(preset: request.preset, dataRoot: request.dataRoot)
        (base.unsupervisedDataset, base.supervisedDataset) = (request.unsupervisedDataset, request.supervisedDataset)
        base.presetsFile = request.presetsFile
        let setup = try Experiment.Setup(base)
        let model = try PresetLibrary.load(path: request.presetsFile).resolve(request.preset)
        for trial in trials {
            let number = String(trial.index)
            let name = "\(request.folderName)/t" + String(repeating: "0", count: max(0, digits - number.count)) + number
            var overrides = request.overrides
            for assignment in trial.assignments where assignment.name != "seed" {
                overrides.append(try LayerOverride.parse("\(assignment.name)=\(assignment.value)"))
            }
            let resolved = try ModelBuilder.resolve(LayerOverride.apply(overrides, to: model), data: setup.shape)
            _ = try Phase.plan(
                model: resolved, mode: request.mode, trainingBlocks: request.trainingBlocks,
                unsupervised: setup.unsupervised, supervised: setup.supervised)
            let seed = trial.value("seed")?.seed
            planned.append(PlannedTrial(index: trial.index, modelName: name, assignments: trial.assignments, arguments: arguments(request, modelName: name, seed: seed, overrides: overrides)))
        }
        return SearchPlan(
            folderName: request.folderName, dataRoot: request.dataRoot, space: request.space.name,
            parameters: request.space.parameters.map(\.name), metric: request.metric, trials: planned)
    }

    /// The `hebb train` arguments of one trial: every shared option spelled out (the data root
    /// absolute), the trial seed as `--seed-unsup` (SoftHebb: the sup seed stays), then `--set`.
    static func arguments(_ request: SearchRequest, modelName: String, seed: Int?, overrides: [LayerOverride]) -> [String] {
        var arguments = [
            "train", "--preset", request.preset, "--dataset-unsup", request.unsupervisedDataset,
            "--dataset-sup", request.supervisedDataset, "--training-mode", request.mode.rawValue,
        ]
        if let blocks = request.trainingBlocks { arguments += ["--training-blocks", blocks.map(String.init).joined(separator: ",")] }
        arguments += ["--model-name", modelName, "--data-root", request.dataRoot]
        if let directory = request.datasetsDirectory { arguments += ["--datasets", directory] }
        if let file = request.presetsFile { arguments += ["--presets", file] }
        if request.validationSupervised { arguments += ["--validation-sup", "true"] }
        if request.validationUnsupervised { arguments += ["--validation-unsup", "true"] }
        if let resume = request.resume { arguments += ["--resume", resume.rawValue] }
        if let threads = request.threads { arguments += ["--threads", String(threads)] }
        if let seed { arguments += ["--seed-unsup", String(seed)] }
        for override in overrides { arguments += ["--set", override.text] }
        return arguments
    }

    /// Before trials run here: the MNIST-style datasets they read must be findable (other
    /// families are only located when loaded), so a missing dataset fails once, not per trial.
    public static func checkDatasets(_ request: SearchRequest, environment: [String: String]) throws {
        let locator = DatasetLocator(explicitRoot: request.datasetsDirectory, environment: environment, dataRoot: request.dataRoot)
        for key in [request.unsupervisedDataset, request.supervisedDataset] {
            let config = try DatasetCatalog.resolve(key: key)
            if config.family.storage == .idx { _ = try locator.locate(family: config.family, key: key) }
        }
    }

    /// Reads the plan a search wrote into `folder`.
    public static func load(from folder: URL) throws -> SearchPlan {
        let url = folder.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else {
            throw SearchError.badPlan(path: url.path, reason: "it is missing or unreadable")
        }
        do { return try GuardedJSON.decode(SearchPlan.self, from: data) } catch {
            throw SearchError.badPlan(path: url.path, reason: "it is not a hebb search plan")
        }
    }
}
