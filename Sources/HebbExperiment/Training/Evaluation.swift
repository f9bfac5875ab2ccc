import HebbData
import HebbModel
import HebbTensor

/// Evaluation passes (model in evaluation mode, batches of 1000).
public enum Evaluation {
    /// Arg-max accuracy (percent) and mean loss (cross-entropy unless `loss` says otherwise) of
    /// the model's outputs on `images`.
    public static func classify(model: Model, images: LabeledImages, loss: Loss = .crossEntropy) -> (accuracy: Float, loss: Float) {
        var (correct, lossSum) = (0, 0.0)
        FeatureSource.chunks(of: images, rows: Array(0..<images.count), size: FeatureSource.chunkSize(for: model)) { rows, x in
            let logits = FeatureSource.forward(model, x)
            let result = loss.evaluate(outputs: logits, labels: rows.map { images.labels[$0] })
            correct += result.correct
            lossSum += Double(result.loss) * Double(rows.count)
        }
        let n = max(1, images.count)
        return (100 * Float(correct) / Float(n), Float(lossSum / Double(n)))
    }

    /// As `classify(model:images:)` for a model split in two: `features` are the frozen first
    /// blocks' outputs for every image (cached once per phase), `suffix` the remaining blocks.
    static func classify(suffix: Model, features: Tensor, labels: [Int32], loss: Loss = .crossEntropy) -> (accuracy: Float, loss: Float) {
        var (correct, lossSum) = (0, 0.0)
        let size = FeatureSource.chunkSize(for: suffix)
        for start in stride(from: 0, to: features.rows, by: size) {
            let rows = start..<min(start + size, features.rows)
            let logits = FeatureSource.forward(suffix, features.rows(rows))
            let result = loss.evaluate(outputs: logits, labels: Array(labels[rows]))
            correct += result.correct
            lossSum += Double(result.loss) * Double(rows.count)
        }
        let n = max(1, features.rows)
        return (100 * Float(correct) / Float(n), Float(lossSum / Double(n)))
    }

    /// SoftHebb's unsupervised accuracy (spec §4.4): each unit of Hebbian block `block` is labelled
    /// with the class it wins most on the training rows; a sample is correct when its winning
    /// unit's label is its class. Returns (train, test) percentages.
    public static func neuronLabelAccuracy(model: Model, block: Int, data: DatasetSplits) -> (train: Float, test: Float) {
        let prefix = Model(blocks: Array(model.blocks[..<block]))
        let classes = data.config.classCount
        let units = model.blocks[block].layerChannels
        func winners(_ images: LabeledImages, _ rows: [Int]) -> [Int32] {
            var out: [Int32] = []
            FeatureSource.chunks(of: images, rows: rows, size: FeatureSource.chunkSize(for: model)) { _, pixels in
                var copy = model.blocks[block]
                var rng = SeededGenerator(seed: 0)  // evaluation mode draws nothing
                let x = FeatureSource.forward(prefix, pixels)
                out += copy.forward(x, training: false, currentsOnly: true, using: &rng).currents.argmaxRows()
            }
            return out
        }
        let trainRows = data.trainIndices
        let trainWinners = winners(data.train, trainRows)
        var counts = [Int](repeating: 0, count: units * classes)
        for (row, unit) in zip(trainRows, trainWinners) where data.train.labels[row] >= 0 {  // skip unlabelled (STL-10)
            counts[Int(unit) * classes + Int(data.train.labels[row])] += 1
        }
        let labels = (0..<units).map { u in (0..<classes).max { counts[u * classes + $0] < counts[u * classes + $1] } ?? 0 }
        func accuracy(_ images: LabeledImages, _ rows: [Int], _ won: [Int32]) -> Float {
            let hits = zip(rows, won).filter { labels[Int($0.1)] == Int(images.labels[$0.0]) }.count
            return 100 * Float(hits) / Float(max(1, rows.count))
        }
        let testRows = Array(0..<data.evaluation.count)
        return (accuracy(data.train, trainRows, trainWinners), accuracy(data.evaluation, testRows, winners(data.evaluation, testRows)))
    }
}
