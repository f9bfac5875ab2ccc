// What one benchmark row measured, and the helpers every row uses (RSS, memory bound, roofline).
import Foundation
import HebbData
import HebbExperiment
import HebbModel
import HebbTensor

/// One measurement, printed as a JSON line (snake_case keys) for scripts/bench/table.py.
struct Measurement: Codable {
    /// "hebb" here; the peers print "torch" or "numpy".
    var impl = "hebb"
    /// Row id (see `Rows.all`).
    var row: String
    /// Wall seconds of the timed work.
    var seconds: Double
    /// Images processed in the timed work (the table extrapolates a rate from it).
    var images: Int
    /// FLOP counted per image (README, Benchmarks: what is counted).
    var flopPerImage: Double
    /// Writes `line` to stdout unbuffered (a crash later must not lose the rows already measured).
func emitLine(_ line: String) {
    FileHandle.standardOutput.write((line + "\n").data(using: .utf8)!)
}

/// Peak resident set size of this process, MiB.
    var rssMib: Double
    /// 2 × (dataset + parameters + one batch of activations), MiB.
    var boundMib: Double?
    /// Measured sgemm throughput (the roofline row only).
    var gflops: Double?
    /// Free text: what was timed.
    var note: String

    /// Prints the JSON line to stdout and a readable line to stderr.
    func emit() {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        if let data = try? encoder.encode(self), let line = String(data: data, encoding: .utf8) { emitLine(line) }
        let rate = seconds > 0 ? Double(images) / seconds : 0
        FileHandle.standardError.write(
            String(format: "hebb-bench: %@  %.2f s  %d images  %.1f img/s  RSS %.0f MiB  (%@)\n", row, seconds, images, rate, rssMib, note)
                .data(using: .utf8)!)
    }
}

/// Writes `line` to stdout unbuffered (a crash later must not lose the rows already measured).
func emitLine(_ line: String) {
    FileHandle.standardOutput.write((line + "\n").data(using: .utf8)!)
}

/// Peak resident set size of this process so far, MiB.
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Wall seconds of `body`.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

/// Best-of-`repeats` sgemm throughput for n×n×n, GFLOP/s.
func sgemmThroughput(_ n: Int, repeats: Int) -> Double {
    var rng = SeededGenerator(seed: 1)
    let a = Tensor.uniform([n, n], using: &rng), b = Tensor.uniform([n, n], using: &rng)
    _ = Tensor.matmul(a, b)
    var best = Double.infinity
    for _ in 0..<repeats { best = min(best, timed { _ = Tensor.matmul(a, b) }) }
    return 2 * Double(n * n * n) / best / 1e9
}

/// The memory bound of a phase: 2 × (dataset + parameters + one batch of activations), MiB.
///
/// - dataset: the image bytes held (`imageBytes`) plus the float features of frozen blocks the
///   phase caches (`cachedFeatures` values);
/// - parameters: every tensor of the model, plus per trained block its update state (ΔW for a
///   Hebbian block; gradient and two Adam moments for a backprop block);
/// - one batch of activations of each trained block: B × (3 × input (raw, normalised, padded) +
///   patches + 3 × currents (currents, signal, activation) + output).
func memoryBoundMiB(model: Model, trained: [Int], batch: Int, imageBytes: Int, cachedFeatures: Int) -> Double {
    var floats = cachedFeatures
    floats += model.namedTensors().values.reduce(0) { $0 + $1.scalars.count }
    for i in trained {
        let block = model.blocks[i]
        let (input, patches, currents): (Int, Int, Int)
        if let layer = block.hebbianLayer {
            let g = layer.geometry
            input = g?.inputSize ?? layer.inputFeatures
            patches = g.map { $0.positions * $0.patchWidth } ?? 0
            currents = layer.outputChannels * layer.positions
            floats += layer.weight.scalars.count
        } else {
            let weights = block.layer.weightCount
            input = block.layer.inputWidth
            patches = 0
            currents = block.layerChannels
            floats += 3 * weights
        }
        floats += batch * (3 * input + patches + 3 * currents + block.outputSize)
    }
    let bytes: Int = imageBytes + 4 * floats
    return 2 * Double(bytes) / 1_048_576
}

extension BlockLayer {
    /// Weights of a backprop layer (0 for a Hebbian one).
    var weightCount: Int {
        switch self {
        case .linear(let l): return l.weight.scalars.count + l.bias.scalars.count
        case .convolution(let l): return l.weight.scalars.count + (l.bias?.scalars.count ?? 0)
        case .hebbian: return 0
        }
    }

    /// Values per sample entering the layer.
    var inputWidth: Int {
        switch self {
        case .linear(let l): return l.weight.columns
        case .convolution(let l): return l.geometry.inputSize
        case .hebbian(let l): return l.geometry?.inputSize ?? l.inputFeatures
        }
    }
}

/// FLOP per image of block `i`'s layer forward: 2 × positions × filters × patch width
/// (2 × units × inputs for a fully connected layer).
func forwardFLOP(_ block: Block) -> Double {
    switch block.layer {
    case .hebbian(let l):
        let g = l.geometry
        return 2 * Double(l.positions * l.outputChannels) * Double(g?.patchWidth ?? l.inputFeatures)
    case .linear(let l): return 2 * Double(l.weight.rows * l.weight.columns)
    case .convolution(let l): return 2 * Double(l.geometry.positions * l.geometry.outputChannels * l.geometry.patchWidth)
    }
}

/// Bytes of image data held by `splits` (training and evaluation images).
func imageBytes(_ splits: DatasetSplits) -> Int { splits.train.pixels.count + splits.evaluation.pixels.count }
