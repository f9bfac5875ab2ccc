import HebbExperiment
import HebbText

/// `hebb cuda-check` (not in the overview; scripts/gpu-check.sh runs it on a GPU box): seeded
/// epochs of SoftHebb and Krotov–Hopfield fully connected layers and conv blocks with their input
/// batch norm (`DeviceParity.Problem.checked`: 4SoftHebbCnnCIFAR's block 0 among them), a
/// two-epoch classifier phase (dropout, Adam) and the frozen-block forward of 4SoftHebbCnnCIFAR's
/// three conv blocks on the host and on CUDA; weights, radii, running statistics and features
/// compared (relative error ≤ 1e-4).
/// `--device cpu` runs the device code on the CPU backend instead (for CI).
enum CUDACheckCommand {
    static let options: [OptionSpec] = [
        .value("device", metavar: "cpu|cuda", help: "backend checked against the host code (default cuda)"),
        .value("gpu-id", metavar: "N", help: "CUDA device index (default 0)"),
        .value("samples", metavar: "N", help: "seeded samples per fully connected epoch (default 2000; the CIFAR-sized conv epoch takes N/10 images, the frozen forward N/50)"),
        .value("epoch-samples", metavar: "N", help: "also time two device epochs of Krotov 2000×784, batch 100, on N seeded samples (60000 = MNIST; default 0: off)"),
        .value("conv-epoch-samples", metavar: "N", help: "also time two device epochs of 4SoftHebbCnnCIFAR's block 0 (softkrotov), batch 10, on N seeded 3×32×32 images (50000 = CIFAR-10; default 0: off)"),
        .value("forward-samples", metavar: "N", help: "also time two device passes of 4SoftHebbCnnCIFAR's frozen blocks 0-2 over N seeded 3×32×32 images (60000 = CIFAR-10 train + test; default 0: off)"),
        .value("tolerance", metavar: "X", help: "largest relative weight (or feature) error accepted (default 1e-4)"),
        .flag("help", help: "show this help"),
    ]

    static func run(_ arguments: [String], environment: [String: String], stdout: (String) -> Void) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(
                command: "hebb cuda-check", summary: "CUDA vs CPU parity of SoftHebb and Krotov epochs (fully connected and conv), a classifier phase and a frozen-block forward.",
                options: options))
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
        func report(
            _ name: String, relativeError: Float, worst: Float? = nil, of what: String = "weight", hostSeconds: Double, deviceSeconds: Double,
            extra: String = ""
        ) {
            let ok = (worst ?? relativeError) <= tolerance
            failed = failed || !ok
            let error = cFormat("%.3g", Double(relativeError))
            let times = cFormat("host %.3f s, device %.3f s", hostSeconds, deviceSeconds)
            stdout("\(ok ? "PASS" : "FAIL") \(name): relative \(what) error \(error) (\(ok ? "≤" : ">") \(cFormat("%.0e", Double(tolerance))))\(extra), \(times)")
        }
        for problem in DeviceParity.Problem.checked(samples: samples) {
            let result = try DeviceParity.compare(problem, backend: backend)
            // Radii and running statistics are held to the same tolerance as the weights.
            let worst = max(result.relativeError, result.radiusError, result.runningStatisticsError)
            let others = cFormat(", radii %.3g", Double(result.radiusError))
                + (problem.inputNorm ? cFormat(", running statistics %.3g", Double(result.runningStatisticsError)) : "")
            report(problem.name, relativeError: result.relativeError, worst: worst, hostSeconds: result.hostSeconds, deviceSeconds: result.deviceSeconds, extra: others)
        }
        let classifier = DeviceParity.ClassifierProblem.softHebb(samples: samples)
        let result = try DeviceParity.compare(classifier, backend: backend)
        report(
            "\(classifier.name) (\(classifier.epochs) epochs)", relativeError: result.relativeError, hostSeconds: result.hostSeconds,
            deviceSeconds: result.deviceSeconds, extra: cFormat("; logged losses/accuracies differ by ≤ %.3g", Double(result.largestLogDifference)))
        // Chunks of 16 images: the default 2000 samples give 40 images in 3 chunks, the last partial.
        let forward = DeviceParity.ForwardProblem.softHebbCIFAR(samples: max(4, samples / 50), chunkBytes: 32 << 20)
        let forwardResult = try DeviceParity.compare(forward, backend: backend)
        report(
            "\(forward.name) (\(forward.samples) images)", relativeError: forwardResult.relativeError, of: "feature",
            hostSeconds: forwardResult.hostSeconds, deviceSeconds: forwardResult.deviceSeconds, extra: " over \(forwardResult.features) features per image")
        let timed = try parsed.integer("epoch-samples", minimum: 0) ?? 0
        if timed > 0 {
            let seconds = try DeviceParity.epochSeconds(.krotov(samples: timed), backend: backend)
            stdout("Krotov 2000×784, \(timed) samples, batch 100 on \(backend.name): \(epochLine(seconds))")
        }
        let convolutionTimed = try parsed.integer("conv-epoch-samples", minimum: 0) ?? 0
        if convolutionTimed > 0 {
            let problem = DeviceParity.Problem.convolutionSoftHebb(samples: convolutionTimed)
            let seconds = try DeviceParity.epochSeconds(problem, backend: backend)
            stdout("\(problem.name), \(convolutionTimed) samples, batch 10 on \(backend.name): \(epochLine(seconds))")
        }
        let forwardTimed = try parsed.integer("forward-samples", minimum: 0) ?? 0
        if forwardTimed > 0 {
            let problem = DeviceParity.ForwardProblem.softHebbCIFAR(samples: forwardTimed)
            let seconds = try DeviceParity.forwardSeconds(problem, backend: backend)
            stdout("\(problem.name), \(forwardTimed) images on \(backend.name): \(cFormat("pass 1 %.3f s, pass 2 %.3f s", seconds[0], seconds[1]))")
        }
        return failed ? CLI.ExitCode.failure : CLI.ExitCode.success
    }

    private static func epochLine(_ seconds: [Double]) -> String { cFormat("epoch 1 %.3f s, epoch 2 %.3f s", seconds[0], seconds[1]) }
}
