import HebbExperiment
import HebbTensor
import HebbText

/// `hebb post-hoc-loss`: SoftHebb's post_hoc_loss.py procedure (spec §5.5), working.
enum PostHocLossCommand {
    static let options: [OptionSpec] = TrainCommand.options.filter {
        ["preset", "dataset-unsup", "dataset-sup", "seed", "model-name", "data-root", "datasets", "save", "threads", "presets", "help"].contains($0.name)
    }

    static func run(
        _ arguments: [String], environment: [String: String], stdout: (String) -> Void
    ) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(
                command: "hebb post-hoc-loss",
                summary: "Hebbian blocks with a random classifier, then the classifier, then the Hebbian blocks again from their initial weights under the fixed trained classifier; per-batch cross-entropy of both Hebbian passes to post_hoc_loss.csv.",
                options: options))
            return CLI.ExitCode.success
        }
        if let extra = parsed.positionals.first { throw CLIError.unexpectedArgument(extra) }
        let request = try TrainCommand.makeRequest(parsed, environment: environment)
        if let threads = try parsed.integer("threads") { BLAS.setThreadCount(threads) }
        let result = try PostHocLoss.run(request, log: stdout)
        func span(_ losses: [Float]) -> String {
            guard let first = losses.first, let last = losses.last else { return "no batches" }
            return cFormat("%d batches, loss %.4f → %.4f", losses.count, Double(first), Double(last))
        }
        stdout("t0 (random classifier): \(span(result.beforeClassifier))")
        stdout("t2 (post-hoc, trained classifier): \(span(result.postHoc))")
        stdout(cFormat("test accuracy %.2f %% after the classifier, %.2f %% after retraining the Hebbian blocks",
                      Double(result.accuracyAfterClassifier), Double(result.accuracyAfterRetraining)))
        if request.save { stdout("per-batch losses: \(RunStore(dataRoot: request.dataRoot, modelName: request.runName).networkFolder.appendingPathComponent("post_hoc_loss.csv").path)") }
        return CLI.ExitCode.success
    }
}
