// Rows of the SoftHebb conv stacks (4SoftHebbCnnCIFAR on synthetic CIFAR-shaped images,
// 4SoftHebbCnnMNIST on real MNIST): each block's unsupervised phase, the frozen stack's forward
// (the classifier's feature cache), classifier epochs on cached features, and the full recipe.
import Foundation
import HebbData
import HebbExperiment
import HebbModel
import HebbTensor

/// One conv stack to benchmark.
struct ConvStack {
    /// Row id prefix ("cifar", "mnist").
    let id: String
    let preset: String
    /// Unsupervised and classifier batch sizes of its recipe.
    let unsupervisedBatch: Int, classifierBatch: Int
    /// Images the timed phases see.
    let data: DatasetSplits
    /// Words for the notes ("synthetic 3×32×32").
    let source: String
    /// Image bytes the process holds besides the timed subsets (the loaded dataset).
    let heldImageBytes: Int
    /// Images timed per block row (block 2 is the slowest, so it gets fewer).
    let imagesPerBlock: [Int]
    /// Images and epochs of the classifier row.
    let classifierImages: Int, classifierEpochs: Int
}

extension ConvStack {
    /// 4SoftHebbCnnCIFAR: batch 10 unsupervised (CIFAR10_1), 64 for the classifier (CIFAR10_50).
    static func cifar(quick: Bool) -> ConvStack {
        let count = quick ? 300 : 3000
        let images = syntheticImages(count: count, channels: 3, side: 32, seed: 11)
        let data = splits(key: "CIFAR10_1", train: images, test: images.subset(Array(0..<min(count, 500))))
        return ConvStack(
            id: "cifar", preset: "4SoftHebbCnnCIFAR", unsupervisedBatch: 10, classifierBatch: 64, data: data,
            source: "synthetic 3×32×32", heldImageBytes: imageBytes(data), imagesPerBlock: quick ? [300, 200, 60] : [3000, 2000, 600],
            classifierImages: quick ? 200 : 1500, classifierEpochs: quick ? 2 : 4)
    }

    /// 4SoftHebbCnnMNIST: batch 32 unsupervised (MNIST_1), 32 for the classifier (MNIST_10).
    static func mnist(_ mnist: DatasetSplits, source: String, quick: Bool) -> ConvStack {
        let data = prefixSplits(mnist, count: quick ? 320 : 3200)
        return ConvStack(
            id: "mnist", preset: "4SoftHebbCnnMNIST", unsupervisedBatch: 32, classifierBatch: 32, data: data,
            source: source, heldImageBytes: imageBytes(mnist) + imageBytes(data),
            imagesPerBlock: quick ? [320, 192, 96] : [3200, 2048, 960],
            classifierImages: quick ? 320 : 2000, classifierEpochs: quick ? 2 : 4)
    }

    /// The unsupervised phase of block `j` (batch `unsupervisedBatch`) over `imagesPerBlock[j]`
    /// images, timed with the frozen blocks' feature cache it computes first. Blocks before `j`
    /// are first trained (untimed) on a tenth of those images, so they are not at their init.
    func blockRow(_ j: Int) throws -> Measurement {
        let n = imagesPerBlock[j]
        let timedData = prefixSplits(data, count: n)
        var trainer = try makeTrainer(preset: preset, data: data)
        let warm = prefixSplits(data, count: max(unsupervisedBatch, n / 10))
        for i in 0..<j { try runPhase(&trainer, kind: .unsupervised, blocks: [i], batch: unsupervisedBatch, data: warm) }
        let (total, inEpochs) = try runPhase(&trainer, kind: .unsupervised, blocks: [j], batch: unsupervisedBatch, data: timedData)
        let blocks = trainer.model.blocks
        // Training block j: forward currents and the update yᵀ·patches (2 × forward); each
        // frozen block before it: one forward per image (the cache).
        let flop = 2 * forwardFLOP(blocks[j]) + blocks[..<j].reduce(0) { $0 + forwardFLOP($1) }
        let cached = j > 0 ? n * blocks[j - 1].outputSize : 0
        return Measurement(
            row: "\(id)-b\(j)", seconds: total, images: n, flopPerImage: flop, rssMib: peakResidentMiB(),
            boundMib: memoryBoundMiB(model: trainer.model, trained: [j], batch: unsupervisedBatch, imageBytes: heldImageBytes + imageBytes(timedData), cachedFeatures: cached),
            note: String(format: "%@ block %d unsupervised phase, %d %@ images, batch %d; frozen-prefix cache %.1f s of it", preset, j, n, source, unsupervisedBatch, total - inEpochs))
    }

    /// The classifier phase on `classifierImages` images for `classifierEpochs` epochs: its
    /// set-up (the frozen conv blocks' forward, cached) is the `-fwd` row, its epochs the `-clf` row.
    func classifierRows() throws -> [Measurement] {
        let n = classifierImages
        let timedData = prefixSplits(data, count: n)
        var trainer = try makeTrainer(preset: preset, data: data)
        let last = trainer.model.blocks.count - 1
        let (total, inEpochs) = try runPhase(&trainer, kind: .supervised, blocks: [last], epochs: classifierEpochs, batch: classifierBatch, data: timedData)
        let blocks = trainer.model.blocks
        let features = blocks[last - 1].outputSize
        let rss = peakResidentMiB()
        let bound = memoryBoundMiB(model: trainer.model, trained: [last], batch: classifierBatch, imageBytes: heldImageBytes + imageBytes(timedData), cachedFeatures: n * features)
        let forward = Measurement(
            row: "\(id)-fwd", seconds: total - inEpochs, images: n, flopPerImage: blocks[..<last].reduce(0) { $0 + forwardFLOP($1) },
            rssMib: rss, boundMib: bound,
            note: "\(preset) frozen conv blocks, evaluation forward of \(n) \(source) images (the classifier's feature cache)")
        // Forward and weight gradient of the linear layer (no input gradient: nothing below trains).
        let classifier = Measurement(
            row: "\(id)-clf", seconds: inEpochs, images: n * classifierEpochs, flopPerImage: 2 * forwardFLOP(blocks[last]),
            rssMib: rss, boundMib: bound,
            note: "\(preset) classifier (dropout, linear \(features)→10, Adam), \(classifierEpochs) epochs of \(n) cached feature vectors, batch \(classifierBatch)")
        return [forward, classifier]
    }
}

/// 4SoftHebbCnnMNIST's whole recipe for real (MNIST_1 unsupervised phases, MNIST_10 classifier),
/// as `hebb train` runs it, without saving.
func fullRecipeRow(datasets: String) throws -> Measurement {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("hebb-bench-recipe-\(getpid())").path
    var request = TrainingRequest(preset: "4SoftHebbCnnMNIST", dataRoot: root)
    (request.unsupervisedDataset, request.supervisedDataset) = ("MNIST_1", "MNIST_10")
    request.datasetsDirectory = datasets
    request.save = false
    var summary: TrainingSummary?
    let seconds = try timed { summary = try Experiment.train(request, log: { _ in }) }
    try? FileManager.default.removeItem(atPath: root)
    let accuracy = summary.map { String(format: "%.2f", $0.testAccuracy) } ?? "?"
    return Measurement(
        row: "mnist-recipe-real", seconds: seconds, images: 0, flopPerImage: 0, rssMib: peakResidentMiB(), boundMib: nil,
        note: "hebb train --preset 4SoftHebbCnnMNIST --dataset-unsup MNIST_1 --dataset-sup MNIST_10, measured (test accuracy \(accuracy) %)")
}
