// Data and trainer set-up shared by the rows, and the fully connected rows (one MNIST epoch).
import Foundation
import HebbData
import HebbExperiment
import HebbModel
import HebbTensor

/// Real MNIST from `directory` (training and test files), or 60 000 + 10 000 synthetic images.
func loadMNIST(_ directory: String) -> (DatasetSplits, String) {
    if let config = try? DatasetCatalog.resolve(key: "MNIST_1"),
        let splits = try? DatasetSplits.load(config: config, locator: DatasetLocator(explicitRoot: directory), validation: false)
    {
        return (splits, "MNIST")
    }
    let images = syntheticImages(count: 70_000, channels: 1, side: 28, seed: 7)
    return (splits(key: "MNIST_1", train: images.subset(Array(0..<60_000)), test: images.subset(Array(60_000..<70_000))), "synthetic MNIST")
}

/// `count` uniformly random C×side×side images, labels cycling through 10 classes.
func syntheticImages(count: Int, channels: Int, side: Int, seed: UInt64) -> LabeledImages {
    var rng = SeededGenerator(seed: seed)
    let pixels = (0..<(count * channels * side * side)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let labels = (0..<count).map { Int32($0 % 10) }
    guard let images = try? LabeledImages(pixels: pixels, labels: labels, channels: channels, height: side, width: side, classCount: 10, source: "synthetic")
    else { fatalError("cannot build synthetic images") }
    return images
}

/// Splits of `train` (all of it, shuffled) with the config of dataset `key`.
func splits(key: String, train: LabeledImages, test: LabeledImages) -> DatasetSplits {
    guard var config = try? DatasetCatalog.resolve(key: key) else { fatalError("unknown dataset key \(key)") }
    config.trainingSample = train.count
    guard let result = try? DatasetSplits(config: config, train: train, test: test, validation: false)
    else { fatalError("cannot split \(key)") }
    return result
}

/// The first `count` training images of `data` (and its first test images), as their own splits.
func prefixSplits(_ data: DatasetSplits, count: Int) -> DatasetSplits {
    let n = min(count, data.train.count)
    let test = data.evaluation.subset(Array(0..<min(n, data.evaluation.count)))
    return splits(key: data.config.key, train: data.train.subset(Array(0..<n)), test: test)
}

/// A trainer for `preset` on images shaped like `data`'s, with evaluation passes off.
func makeTrainer(preset: String, data: DatasetSplits) throws -> Trainer {
    let c = data.config
    let shape = DataShape(channels: c.channels, height: c.height, width: c.width, classCount: c.classCount)
    let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(preset), data: shape)
    var rng = SeededGenerator(seed: 0)
    var trainer = Trainer(model: ModelBuilder.build(resolved, using: &rng), resolved: resolved)
    trainer.evaluatesOnPrintEpochs = false
    return trainer
}

/// Runs one phase of `trainer` on `data`; returns (wall seconds, seconds inside epochs).
///
/// The difference is the phase's set-up, chiefly computing the frozen blocks' feature cache.
@discardableResult
func runPhase(
    _ trainer: inout Trainer, kind: PhaseKind, blocks: [Int], epochs: Int = 1, batch: Int, data: DatasetSplits
) throws -> (total: Double, epochs: Double) {
    let phase = Phase(kind: kind, blocks: blocks, datasetKey: data.config.key, epochs: epochs, batchSize: batch, learningRate: kind == .unsupervised ? nil : 1e-3)
    var inEpochs = 0.0
    let total = try timed {
        try trainer.run(phase: phase, index: 0, data: data) { event in
            if case .epochEnded(let record) = event { inEpochs += record.seconds }
        }
    }
    return (total, inEpochs)
}

/// One unsupervised epoch of block 0 of a fully connected preset on MNIST (the `quick` option
/// uses the first 6 000 images).
func mlpRow(id: String, preset: String, batch: Int, mnist: DatasetSplits, source: String, quick: Bool) throws -> Measurement {
    let data = quick ? prefixSplits(mnist, count: 6000) : mnist
    var trainer = try makeTrainer(preset: preset, data: data)
    let seconds = try runPhase(&trainer, kind: .unsupervised, blocks: [0], batch: batch, data: data).total
    let block = trainer.model.blocks[0]
    // The textbook rule's two dense GEMMs (forward currents and the update yᵀx): 2 × the
    // forward's FLOP, as in shared/spec/peer-speeds.md (the Krotov path skips the second GEMM:
    // its signal has two non-zeros per image).
    let held = imageBytes(mnist) + (quick ? imageBytes(data) : 0)
    return Measurement(
        row: id, seconds: seconds, images: data.trainIndices.count, flopPerImage: 2 * forwardFLOP(block),
        rssMib: peakResidentMiB(),
        boundMib: memoryBoundMiB(model: trainer.model, trained: [0], batch: batch, imageBytes: held, cachedFeatures: 0),
        note: "\(preset) block 0, one epoch of \(data.trainIndices.count) \(source) images, batch \(batch)")
}
