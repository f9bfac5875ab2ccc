import HebbData
import HebbExperiment
import HebbTensor
import HebbText

/// The `hebb` command line as a library: tests drive it in-process through `run`.
public enum CLI {
    /// Version string.
    public static let version = "hebb 0.1.0"

    /// Exit codes (documented in the README).
    public enum ExitCode {
        /// Success.
        public static let success: Int32 = 0
        /// A runtime failure (training, disk).
        public static let failure: Int32 = 1
        /// Bad arguments, presets or layer strings.
        public static let usage: Int32 = 64
        /// Malformed input data or checkpoint.
        public static let badData: Int32 = 65
        /// An input file or dataset is missing.
        public static let missingInput: Int32 = 66
    }

    /// Runs `arguments` (without the program name); writes through `stdout`/`stderr`, returns the exit code.
    public static func run(
        arguments: [String], environment: [String: String] = [:],
        stdout: (String) -> Void, stderr: (String) -> Void, terminal: ((String) -> Void)? = nil
    ) -> Int32 {
        guard let command = arguments.first else {
            stderr(overview)
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "train": return try TrainCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr, terminal: terminal)
            case "presets": return try PresetsCommand.run(rest, stdout: stdout)
            case "post-hoc-loss": return try PostHocLossCommand.run(rest, environment: environment, stdout: stdout)
            case "probe": return try ProbeCommand.run(rest, environment: environment, stdout: stdout)
            case "search": return try SearchCommand.run(rest, environment: environment, stdout: stdout, stderr: stderr)
            case "report": return try ReportCommand.run(rest, stdout: stdout)
            case "view": return try ViewCommand.run(rest, environment: environment, stdout: stdout)
            case "cuda-check": return try CUDACheckCommand.run(rest, environment: environment, stdout: stdout)
            case "help", "--help", "-h":
                stdout(overview)
                return ExitCode.success
            case "--version", "version":
                stdout(version)
                return ExitCode.success
            default:
                throw CLIError.unknownCommand(command, suggestion: EditDistance.closest(to: command, among: commands))
            }
        } catch {
            stderr("error: \(error)")
            return exitCode(for: error)
        }
    }

    /// Entry point of the executable.
    public static func main() -> Never {
        Allocator.retainFreedMemory()
        let code = run(
            arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
            stdout: { writeText($0 + "\n", to: STDOUT_FILENO) },
            stderr: { writeText($0 + "\n", to: STDERR_FILENO) },
            terminal: isatty(STDERR_FILENO) != 0 ? { writeText($0, to: STDERR_FILENO) } : nil)
        exit(code)
    }

    /// Command names, for did-you-mean hints.
    static let commands = ["train", "presets", "post-hoc-loss", "probe", "search", "report", "view", "help"]

    /// Maps an error to its exit code.
    static func exitCode(for error: Error) -> Int32 {
        switch error {
        case is CLIError, is ConfigError: return ExitCode.usage
        case let data as DataError:
            switch data {
            case .datasetNotFound, .unreadable: return ExitCode.missingInput
            case .unknownDatasetKey: return ExitCode.usage
            default: return ExitCode.badData
            }
        case CheckpointError.missingRun: return ExitCode.missingInput
        case is CheckpointError: return ExitCode.badData
        case let search as SearchError:
            switch search {
            case .missingExecutable, .badPlan: return ExitCode.missingInput
            default: return ExitCode.usage
            }
        case let report as ReportError:
            if case .badFile = report { return ExitCode.badData }
            return ExitCode.missingInput
        case let view as ViewError:
            switch view {
            case .runNotFound: return ExitCode.missingInput
            case .noSuchBlock: return ExitCode.usage
            case .badMetrics: return ExitCode.badData
            }
        default: return ExitCode.failure
        }
    }

    static let overview = """
        hebb — Hebbian deep learning experiments (SoftHebb, Krotov–Hopfield, …)

        usage: hebb <command> [options]

        commands:
          train      train a preset or layer strings on a dataset
          presets    list presets, or show one resolved: hebb presets NAME
          post-hoc-loss  SoftHebb's post-hoc loss: retrain the Hebbian blocks under the trained classifier
          probe      linear probe of a trained run's frozen blocks (early stopping, lr on plateau)
          search     seed sweeps and hyper-parameter searches as `hebb train` trials: run here (--jobs), or emit for GNU parallel / Slurm
          report     mean ± std over seeds per configuration of finished runs, as Markdown (and CSV)
          view       draw a saved run: weight mosaic of a block and metric plots (PNG)
          help       this text; 'hebb train --help' for the options of a command
          --version  print the version
        """
}
