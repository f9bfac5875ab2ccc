// hebb-bench: seconds per unsupervised epoch next to the sgemm roofline measured in the same run.
// Usage: hebb-bench [DATASETS_DIR]   (real MNIST when found there, synthetic otherwise)
import Foundation
import HebbData
import HebbExperiment
import HebbModel
import HebbTensor

/// Best-of-`repeats` sgemm throughput for n×n×n, GFLOP/s.
func sgemmThroughput(_ n: Int, repeats: Int) -> Double {
    var rng = SeededGenerator(seed: 1)
    let a = Tensor.uniform([n, n], using: &rng), b = Tensor.uniform([n, n], using: &rng)
    _ = Tensor.matmul(a, b)
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = Date()
        _ = Tensor.matmul(a, b)
        best = min(best, Date().timeIntervalSince(start))
    }
    return 2 * Double(n * n * n) / best / 1e9
}

/// Peak resident set size of this process so far, MiB.
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// MNIST from `directory`, or 60 000 synthetic images when it is not there.
func loadData(_ directory: String?) -> (DatasetSplits, String) {
    if let config = try? DatasetCatalog.resolve(key: "MNIST_1"),
        let splits = try? DatasetSplits.load(config: config, locator: DatasetLocator(explicitRoot: directory), validation: false)
    {
        return (splits, "MNIST")
    }
    var rng = SeededGenerator(seed: 7)
    let count = 60_000
    let pixels = (0..<(count * 784)).map { _ in UInt8(rng.nextIndex(below: 256)) }
    let labels = (0..<count).map { Int32($0 % 10) }
    guard let config = try? DatasetCatalog.resolve(key: "MNIST_1"),
        let images = try? LabeledImages(pixels: pixels, labels: labels, channels: 1, height: 28, width: 28, classCount: 10, source: "synthetic"),
        let splits = try? DatasetSplits(config: config, train: images, test: images, validation: false)
    else { fatalError("cannot build synthetic data") }
    return (splits, "synthetic")
}

/// Seconds for one unsupervised epoch of block 0 of `preset` at `batch`.
func unsupervisedEpoch(preset: String, batch: Int, data: DatasetSplits) throws -> Double {
    let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
    let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(preset), data: shape)
    var rng = SeededGenerator(seed: 0)
    var trainer = Trainer(model: ModelBuilder.build(resolved, using: &rng), resolved: resolved)
    trainer.evaluatesOnPrintEpochs = false
    let phase = Phase(kind: .unsupervised, blocks: [0], datasetKey: "bench", epochs: 1, batchSize: batch, learningRate: nil)
    let start = Date()
    try trainer.run(phase: phase, index: 0, data: data) { _ in }
    return Date().timeIntervalSince(start)
}

Allocator.retainFreedMemory()
let arguments = CommandLine.arguments
let (data, source) = loadData(arguments.count > 1 ? arguments[1] : "../shared/datasets")
let roofline = max(sgemmThroughput(1024, repeats: 10), sgemmThroughput(2048, repeats: 3))
let images = Double(data.trainIndices.count)
// "Useful" FLOP as in shared/spec/peer-speeds.md: the two dense GEMMs of the textbook rule,
// 4 × units × 784 per image (hebb's Krotov path skips the second one: its signal is sparse).
let usefulGFLOP = 4 * 2000 * 784 * images / 1e9
print("hebb-bench — \(BLAS.configuration), threads \(BLAS.threadCount), data \(source) (\(Int(images)) images)")
print("| workload | batch | seconds | useful GFLOP/s | % of sgemm roofline | peak RSS MiB |")
print("|---|---|---|---|---|---|")
print(String(format: "| sgemm 1024³/2048³ (best) | – | – | %.1f | 100 | %.0f |", roofline, peakResidentMiB()))
for (preset, batch) in [("KrotovMlpMNIST", 1024), ("KrotovMlpMNIST", 100), ("2SoftMlpMNIST", 32)] {
    do {
        let seconds = try unsupervisedEpoch(preset: preset, batch: batch, data: data)
        let rate = usefulGFLOP / seconds
        print(String(format: "| %@ unsupervised epoch | %d | %.2f | %.1f | %.0f | %.0f |", preset, batch, seconds, rate, 100 * rate / roofline, peakResidentMiB()))
    } catch {
        print("| \(preset) | \(batch) | error: \(error) | | | |")
    }
}
