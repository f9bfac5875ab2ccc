import HebbTensor

// Shapes: B batch rows, D = C·H·W values per image. Batches are (B, D) floats,
// value = (byte/255 − mean[c]) / std[c] (mean 0, std 1 except for ImageNet-style families).

extension LabeledImages {
    /// Writes images `indices` as (B, D) batch values (byte/255, then `normalization`, then
    /// `whitening` if any) into `images`, resizing it only when B·D changed (capacity is kept, so
    /// a reused buffer allocates nothing).
    public func fillBatch(indices: ArraySlice<Int>, into images: inout [Float]) {
        fillNormalizedValues(indices: indices, into: &images)
        whitening?.apply(to: &images, rows: indices.count)
    }

    /// As `fillBatch(indices:into:)` without the whitening (what whitening statistics are
    /// computed from).
    public func fillNormalizedValues(indices: ArraySlice<Int>, into images: inout [Float]) {
        let size = imageSize
        let plane = height * width
        Self.resize(&images, to: indices.count * size)
        images.withUnsafeMutableBufferPointer { destination in
            pixels.withUnsafeBufferPointer { source in
                valueTable.withUnsafeBufferPointer { table in
                    var row = 0
                    for index in indices {
                        precondition(index >= 0 && index < count, "index \(index) outside 0..<\(count)")
                        let from = index &* size
                        let to = row &* size
                        for c in 0..<channels {
                            let offset = c &* plane
                            let lookup = c &* 256
                            for j in offset..<(offset &+ plane) {
                                destination[to &+ j] = table[lookup &+ Int(source[from &+ j])]
                            }
                        }
                        row &+= 1
                    }
                }
            }
        }
    }

    /// As `fillBatch(indices:into:)`, then adds `N(0,1)·noiseStandardDeviation` to every value
    /// (SoftHebb's MNIST augmentation, per sample and pixel); σ = 0 draws nothing from `rng`.
    public func fillBatch(
        indices: ArraySlice<Int>, into images: inout [Float], noiseStandardDeviation: Float,
        using rng: inout SeededGenerator
    ) {
        fillNormalizedValues(indices: indices, into: &images)
        if noiseStandardDeviation != 0 {
            images.withUnsafeMutableBufferPointer { values in
                for k in 0..<values.count { values[k] += rng.nextGaussian() * noiseStandardDeviation }
            }
        }
        whitening?.apply(to: &images, rows: indices.count)
    }

    /// Writes the labels of `indices` into `labels`, reusing its storage.
    public func fillLabels(indices: ArraySlice<Int>, into labels: inout [Int32]) {
        labels.removeAll(keepingCapacity: true)
        for index in indices { labels.append(self.labels[index]) }
    }

    /// A fresh (B, D) batch tensor and its labels.
    public func batch(indices: ArraySlice<Int>) -> (images: Tensor, labels: [Int32]) {
        var values: [Float] = []
        fillBatch(indices: indices, into: &values)
        var batchLabels: [Int32] = []
        fillLabels(indices: indices, into: &batchLabels)
        return (Tensor(shape: [indices.count, imageSize], scalars: values), batchLabels)
    }

    /// A fresh (B, D) batch tensor and its labels.
    public func batch(indices: [Int]) -> (images: Tensor, labels: [Int32]) {
        batch(indices: indices[...])
    }

    /// A fresh (B, D) batch with additive Gaussian noise of σ `noiseStandardDeviation`.
    public func batch(
        indices: ArraySlice<Int>, noiseStandardDeviation: Float, using rng: inout SeededGenerator
    ) -> (images: Tensor, labels: [Int32]) {
        batch(indices: indices, augmentation: .gaussianNoise(standardDeviation: noiseStandardDeviation), using: &rng)
    }

    /// Sets `buffer.count` to `count` (new entries zero), keeping its capacity when it shrinks.
    static func resize<Element: Numeric>(_ buffer: inout [Element], to count: Int) {
        if buffer.count > count {
            buffer.removeLast(buffer.count - count)
        } else if buffer.count < count {
            buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
        }
    }
}
