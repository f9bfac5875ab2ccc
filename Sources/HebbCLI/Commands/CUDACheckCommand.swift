import HebbExperiment
import HebbText

/// `hebb cuda-check` (not in the overview; scripts/gpu-check.sh runs it on a GPU box): one seeded
/// SoftHebb and one Krotov–Hopfield epoch and a two-epoch classifier phase (dropout, Adam) on the
/// host and on CUDA, weights compared (relative error ≤ 1e-4). `--device cpu` runs the device code on the CPU backend instead (for CI).
enum CUDACheckCommand {
    static let options: [OptionSpec] = [
        .value("device", metavar: "cpu|cuda", help: "backend checked against the host code (default cuda)"),
        .value("gpu-id", metavar: "N", help: "CUDA device index (default 0)"),
        .value("samples", metavar: "N", help: "seeded samples per epoch (default 2000)"),
        .value("epoch-samples", metavar: "N", help: "also time two device epochs of Krotov 2000×784, batch 100, on N seeded samples (60000 = MNIST; default 0: off)"),
        .value("tolerance", metavar: "X", help: "largest relative weight error accepted (default 1e-4)"),
        .flag("help", help: "show this help"),
    ]

    static func run(_ arguments: [String], environment: [String: String], stdout: (String) -> Void) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(command: "hebb cuda-check", summary: "CUDA vs CPU parity of one SoftHebb and one Krotov epoch and a classifier phase.", options: options))
            return CLI.ExitCode.success
        }
        if let extra = parsed.positionals.first { throw CLIError.unexpectedArgument(extra) }
        let samples = try parsed.integer("samples") ?? 2000
        let toleranceText = parsed.value("tolerance") ?? "1e-4"
        guard let tolerance = Float(toleranceText), tolerance > 0 else {
            throw CLIError.invalidValue(option: "--tolerance", value: toleranceText, expected: "a positive number")
        }
        let gpu = try parsed.integer("gpu-id", minimum: 0) ?? 0
        let device: ComputeDevice
        switch parsed.value("device")?.lowercased() ?? "cuda" {
        case "cuda": device = .cuda(gpu: gpu)
        case "cpu": device = .cpu
        case let other: throw CLIError.invalidValue(option: "--device", value: other, expected: "cpu or cuda")
        }
        let backend = try device.makeBackend(environment: environment) ?? DeviceParity.cpuBackend()
        stdout("backend: \(backend.name)")
        var failed = false
        func report(_ name: String, relativeError: Float, hostSeconds: Double, deviceSeconds: Double, extra: String = "") {
            let ok = relativeError <= tolerance
            failed = failed || !ok
            let error = cFormat("%.3g", Double(relativeError))
            let times = cFormat("host %.3f s, device %.3f s", hostSeconds, deviceSeconds)
            stdout("\(ok ? "PASS" : "FAIL") \(name): relative weight error \(error) (\(ok ? "≤" : ">") \(cFormat("%.0e", Double(tolerance))))\(extra), \(times)")
        }
        for problem in [DeviceParity.Problem.softHebb(samples: samples), .krotov(samples: samples)] {
            let result = try DeviceParity.compare(problem, backend: backend)
            report(problem.name, relativeError: result.relativeError, hostSeconds: result.hostSeconds, deviceSeconds: result.deviceSeconds)
        }
        let classifier = DeviceParity.ClassifierProblem.softHebb(samples: samples)
        let result = try DeviceParity.compare(classifier, backend: backend)
        report(
            "\(classifier.name) (\(classifier.epochs) epochs)", relativeError: result.relativeError, hostSeconds: result.hostSeconds,
            deviceSeconds: result.deviceSeconds, extra: cFormat("; logged losses/accuracies differ by ≤ %.3g", Double(result.largestLogDifference)))
        let timed = try parsed.integer("epoch-samples", minimum: 0) ?? 0
        if timed > 0 {
            let seconds = try DeviceParity.epochSeconds(.krotov(samples: timed), backend: backend)
            let epochs = cFormat("epoch 1 %.3f s, epoch 2 %.3f s", seconds[0], seconds[1])
            stdout("Krotov 2000×784, \(timed) samples, batch 100 on \(backend.name): \(epochs)")
        }
        return failed ? CLI.ExitCode.failure : CLI.ExitCode.success
    }
}
