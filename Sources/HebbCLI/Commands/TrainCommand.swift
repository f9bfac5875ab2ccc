import HebbExperiment
import HebbTensor
import HebbText

/// `hebb train`: parses options into a `TrainingRequest` and runs it.
enum TrainCommand {
    static let options: [OptionSpec] = [
        .value("preset", metavar: "NAME|LAYERS", help: "preset name, or layer strings joined by + (soft-c2000-t12-lr0.045+BP-c10)"),
        .value("dataset-unsup", metavar: "KEY", help: "dataset for Hebbian phases (default MNIST)"),
        .value("dataset-sup", metavar: "KEY", help: "dataset for supervised phases and evaluation (default MNIST)"),
        .value("training-mode", metavar: "MODE", help: "successive (default), consecutive or simultaneous"),
        .value("training-blocks", metavar: "I,J", help: "train only these blocks (default all)"),
        .value("freeze-blocks", metavar: "I,J", help: "never train these blocks (taken out of --training-blocks)"),
        .value("init-from", metavar: "RUN|DIR|FILE", help: "load weights from another run (name under the data root, run folder or .safetensors) before training"),
        .value("init-blocks", metavar: "I,J", help: "blocks --init-from loads (default: all but the classifier)"),
        .value("seed", metavar: "N", help: "seed for data order and weight init (default: the dataset's, 0)"),
        .value("seed-unsup", metavar: "N", help: "seed of the unsup data order and weight init; the sup seed stays (as SoftHebb's ray_search trials)"),
        .repeated("set", metavar: "bI.KEY=VALUE", help: "override a block's layer setting: b0.radius=3.5, b1.t=0.5, b0.kind=soft, b0,b1,b2.t_invert=2"),
        .value("model-name", metavar: "NAME", help: "run folder name (default: the preset)"),
        .value("data-root", metavar: "DIR", help: "results and datasets root (default $HEBB_DATA, else ~/hebb-data)"),
        .value("datasets", metavar: "DIR", help: "folder holding mnist/ and fashion-mnist/ (searched first)"),
        .value("resume", metavar: "WHAT", help: "all or without_classifier: continue from the saved network"),
        .value("save", metavar: "BOOL", help: "write checkpoints and logs (default true)"),
        .value("reuse-blocks", metavar: "BOOL", help: "load leading phases' blocks saved by earlier runs with the same lineage instead of training them (default false)"),
        .value("validation", metavar: "BOOL", help: "hold out 20 % of both training sets; evaluate on the supervised one (default false)"),
        .value("validation-sup", metavar: "BOOL", help: "hold out 20 % of the supervised training set only"),
        .value("validation-unsup", metavar: "BOOL", help: "hold out 20 % of the unsupervised training set only"),
        .value("progress", metavar: "WHEN", help: "progress bar with ETA: auto (on a terminal, default), true or false"),
        .value("pictures", metavar: "BOOL", help: "weight mosaic per Hebbian epoch and metric plots under pictures/ (default true)"),
        .value("tensorboard", metavar: "BOOL", help: "TensorBoard event file under tensorboard/ (default false)"),
        .value("threads", metavar: "N", help: "OpenBLAS threads (default: all cores)"),
        .value("device", metavar: "cpu|cuda", help: "where eligible phases run: Hebbian epochs of one block, frozen blocks' forward, the classifier (default cpu; the rest log that they stay on the CPU)"),
        .value("gpu-id", metavar: "N", help: "CUDA device index with --device cuda (default 0)"),
        .value("presets", metavar: "FILE", help: "presets JSON file (default: built-in)"),
        .flag("help", help: "show this help"),
    ]

    static func run(
        _ arguments: [String], environment: [String: String], stdout: (String) -> Void, stderr: (String) -> Void,
        terminal: ((String) -> Void)? = nil
    ) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(command: "hebb train", summary: "Train a model: Hebbian phases, then the classifier.", options: options))
            return CLI.ExitCode.success
        }
        if let extra = parsed.positionals.first { throw CLIError.unexpectedArgument(extra) }
        let request = try makeRequest(parsed, environment: environment)
        if let threads = try parsed.integer("threads") { BLAS.setThreadCount(threads) }
        let summary = try withoutActuallyEscaping(stderr) { stderr in
            let bar = try progressBar(parsed, terminal: terminal, stderr: stderr)
            defer { bar?.clear() }
            return try Experiment.train(request, log: { line in bar?.clear(); stdout(line) }, progress: bar.map { bar in { bar.show($0) } })
        }
        let split = summary.validation ? "validation" : "test"
        let (accuracy, loss) = (cFormat("%.2f", Double(summary.testAccuracy)), cFormat("%.4f", Double(summary.testLoss)))
        stdout("\(split) accuracy \(accuracy) % (\(split) loss \(loss)) in \(cFormat("%.1f", summary.seconds)) s")
        if request.save { stdout("results: \(RunStore(dataRoot: request.dataRoot, modelName: request.runName).networkFolder.path)") }
        return CLI.ExitCode.success
    }

    /// Builds the typed request; the data root comes from the option, `HEBB_DATA`, or `~/hebb-data`.
    static func makeRequest(_ parsed: ParsedArguments, environment: [String: String]) throws -> TrainingRequest {
        let preset = try parsed.required("preset")
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        let root = parsed.value("data-root") ?? environment["HEBB_DATA"] ?? PathText.appending("hebb-data", to: home)
        var request = TrainingRequest(preset: preset, dataRoot: root)
        request.unsupervisedDataset = parsed.value("dataset-unsup") ?? "MNIST"
        request.supervisedDataset = parsed.value("dataset-sup") ?? "MNIST"
        request.modelName = parsed.value("model-name")
        request.datasetsDirectory = parsed.value("datasets")
        request.environment = environment
        request.presetsFile = parsed.value("presets")
        if let mode = parsed.value("training-mode") {
            guard let value = TrainingMode(rawValue: mode) else {
                throw CLIError.invalidValue(option: "--training-mode", value: mode, expected: TrainingMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            request.mode = value
        }
        if let seed = try parsed.integer("seed", minimum: 0) { request.seed = seed }
        if let seed = try parsed.integer("seed-unsup", minimum: 0) { request.unsupervisedSeed = seed }
        request.overrides = try parsed.values("set").map { try LayerOverride.parse($0) }
        if let text = parsed.value("resume") {
            guard let value = ResumeMode(rawValue: text) else {
                throw CLIError.invalidValue(option: "--resume", value: text, expected: "all or without_classifier")
            }
            request.resume = value
        }
        request.save = try boolean(parsed, "save", default: true)
        request.reuseBlocks = try boolean(parsed, "reuse-blocks", default: false)
        request.validation = try boolean(parsed, "validation", default: false)
        request.pictures = try boolean(parsed, "pictures", default: true)
        request.tensorboard = try boolean(parsed, "tensorboard", default: false)
        request.validationSupervised = try boolean(parsed, "validation-sup", default: request.validationSupervised)
        request.validationUnsupervised = try boolean(parsed, "validation-unsup", default: request.validationUnsupervised)
        request.device = try device(parsed)
        request.trainingBlocks = try blockList(parsed, "training-blocks")
        request.frozenBlocks = try blockList(parsed, "freeze-blocks") ?? []
        if let source = parsed.value("init-from") {
            request.initialWeights = InitialWeights(source: source, blocks: try blockList(parsed, "init-blocks"))
        } else if parsed.value("init-blocks") != nil {
            throw CLIError.invalidValue(option: "--init-blocks", value: parsed.value("init-blocks") ?? "", expected: "to come with --init-from")
        }
        return request
    }

    /// `--device` and `--gpu-id`.
    static func device(_ parsed: ParsedArguments) throws -> ComputeDevice {
        let gpu = try parsed.integer("gpu-id", minimum: 0)
        switch parsed.value("device")?.lowercased() ?? "cpu" {
        case "cpu":
            if let gpu { throw CLIError.invalidValue(option: "--gpu-id", value: String(gpu), expected: "to come with --device cuda") }
            return .cpu
        case "cuda", "gpu": return .cuda(gpu: gpu ?? 0)
        case let other: throw CLIError.invalidValue(option: "--device", value: other, expected: "cpu or cuda")
        }
    }

    /// A comma-separated list of block indices, or nil when the option is absent.
    static func blockList(_ parsed: ParsedArguments, _ name: String) throws -> [Int]? {
        guard let text = parsed.value(name) else { return nil }
        let parts = text.split(separator: ",").map { Int(String($0).trimmingWhitespace) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else {
            throw CLIError.invalidValue(option: "--" + name, value: text, expected: "block indices such as 0,1")
        }
        return parts.compactMap { $0 }
    }

    /// The progress bar `--progress` asks for: on `terminal` (a raw writer, nil when stderr is not
    /// a terminal) for auto, through `stderr` lines for true; none for false.
    static func progressBar(_ parsed: ParsedArguments, terminal: ((String) -> Void)?, stderr: @escaping (String) -> Void) throws -> ProgressBar? {
        switch parsed.value("progress")?.lowercased() ?? "auto" {
        case "auto": return terminal.map { ProgressBar(write: $0, inPlace: true) }
        case "false", "0", "no": return nil
        case "true", "1", "yes": return terminal.map { ProgressBar(write: $0, inPlace: true) } ?? ProgressBar(write: stderr, inPlace: false)
        case let other: throw CLIError.invalidValue(option: "--progress", value: other, expected: "auto, true or false")
        }
    }

    static func boolean(_ parsed: ParsedArguments, _ name: String, default value: Bool) throws -> Bool {
        guard let text = parsed.value(name) else { return value }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw CLIError.invalidValue(option: "--" + name, value: text, expected: "true or false")
        }
    }

}
