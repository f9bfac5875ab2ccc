import HebbExperiment
import HebbTensor
import HebbText

/// `hebb probe`: pytorch-hebbian's linear-probe evaluator on a trained run.
enum ProbeCommand {
    static let options: [OptionSpec] = [
        .value("model-name", metavar: "NAME", help: "the trained run to probe (required)"),
        .value("data-root", metavar: "DIR", help: "results root (default $HEBB_DATA, else ~/hebb-data)"),
        .value("datasets", metavar: "DIR", help: "folder searched first for datasets"),
        .value("dataset-sup", metavar: "KEY", help: "dataset to probe on (default: the run's supervised dataset)"),
        .value("validation-sup", metavar: "BOOL", help: "evaluate on 20 % held out of training instead of the test set (default false)"),
        .value("epochs", metavar: "N", help: "maximum epochs (default 500)"),
        .value("lr", metavar: "RATE", help: "initial Adam learning rate (default 0.001)"),
        .value("batch-size", metavar: "N", help: "mini-batch size (default: the dataset key's)"),
        .value("patience", metavar: "N", help: "early stopping: epochs without a gain of 0.01 points (default 15)"),
        .value("plateau-patience", metavar: "N", help: "epochs without improvement before the rate halves (default 5)"),
        .value("seed", metavar: "N", help: "seeds the fresh head, data order and dropout (default 0)"),
        .value("save", metavar: "BOOL", help: "write probe.json and probe.safetensors into the run folder (default true)"),
        .value("threads", metavar: "N", help: "OpenBLAS threads (default: all cores)"),
        .flag("help", help: "show this help"),
    ]

    static func run(_ arguments: [String], environment: [String: String], stdout: (String) -> Void) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(
                command: "hebb probe", summary: "Freeze a trained run's blocks, train a fresh classifier on their features with early stopping; report the best accuracy.",
                options: options))
            return CLI.ExitCode.success
        }
        if let extra = parsed.positionals.first { throw CLIError.unexpectedArgument(extra) }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        let root = parsed.value("data-root") ?? environment["HEBB_DATA"] ?? PathText.appending("hebb-data", to: home)
        var request = Probe.Request(modelName: try parsed.required("model-name"), dataRoot: root)
        request.dataset = parsed.value("dataset-sup")
        request.datasetsDirectory = parsed.value("datasets")
        request.environment = environment
        request.validation = try TrainCommand.boolean(parsed, "validation-sup", default: false)
        request.save = try TrainCommand.boolean(parsed, "save", default: true)
        let settings = request.settings
        request.settings.epochs = try parsed.integer("epochs") ?? settings.epochs
        request.settings.batchSize = try parsed.integer("batch-size")
        request.settings.stoppingPatience = try parsed.integer("patience") ?? settings.stoppingPatience
        request.settings.plateauPatience = try parsed.integer("plateau-patience") ?? settings.plateauPatience
        if let seed = try parsed.integer("seed", minimum: 0) { request.settings.seed = seed }
        if let text = parsed.value("lr") {
            guard let rate = Float(text), rate.isFinite, rate > 0 else { throw CLIError.invalidValue(option: "--lr", value: text, expected: "a positive number") }
            request.settings.learningRate = rate
        }
        if let threads = try parsed.integer("threads") { BLAS.setThreadCount(threads) }
        let result = try Probe.run(request, log: stdout)
        let split = result.validation ? "validation" : "test"
        let accuracy = cFormat("%.2f", Double(result.bestAccuracy))
        stdout("best \(split) accuracy \(accuracy) % at epoch \(result.bestEpoch) of \(result.epochsRun)"
            + (result.stoppedEarly ? " (stopped early)" : ""))
        return CLI.ExitCode.success
    }
}
