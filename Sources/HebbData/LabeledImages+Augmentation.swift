import HebbTensor

// Shapes: B batch rows, D = C·H·W values per image.

extension LabeledImages {
    /// Writes images `indices` as (B, D) batch values into `images`, each sample transformed by
    /// `augmentation` with draws from `rng` (spec §2.3), then normalised like `fillBatch(indices:into:)`.
    ///
    /// Per sample, in order: crop parameters, then the flip coin (`nextUniform() < 0.5`), as
    /// torchvision's `Compose([crop, RandomHorizontalFlip()])` draws them. `.none` and a zero
    /// σ draw nothing, so the same generator state gives the same batches.
    public func fillBatch(
        indices: ArraySlice<Int>, into images: inout [Float], augmentation: BatchAugmentation,
        using rng: inout SeededGenerator
    ) {
        switch augmentation {
        case .none:
            fillBatch(indices: indices, into: &images)
        case .gaussianNoise(let standardDeviation):
            fillBatch(indices: indices, into: &images, noiseStandardDeviation: standardDeviation, using: &rng)
        case .cropAndFlip(let padding):
            fillTransformed(indices: indices, into: &images) { source, destination, _ in
                let (top, left) = BatchAugmentation.cropOffsets(padding: padding, using: &rng)
                let flip = rng.nextUniform() < 0.5
                ImageTransforms.cropAndFlip(
                    source, channels: channels, height: height, width: width, padding: padding, top: top, left: left,
                    flip: flip, into: destination)
            }
        case .resizedCropAndFlip(let scale, let ratio):
            fillTransformed(indices: indices, into: &images) { source, destination, scratch in
                let crop = BatchAugmentation.resizedCropRectangle(
                    height: height, width: width, scale: scale, ratio: ratio, using: &rng)
                let flip = rng.nextUniform() < 0.5
                ImageTransforms.resizedCropAndFlip(
                    source, channels: channels, height: height, width: width, crop: crop, flip: flip,
                    into: destination, scratch: &scratch)
            }
        }
        switch augmentation {
        case .cropAndFlip, .resizedCropAndFlip: whitening?.apply(to: &images, rows: indices.count)
        case .none, .gaussianNoise: break  // whitened by the fills above
        }
    }

    /// A fresh (B, D) batch tensor of augmented images and their labels.
    public func batch(
        indices: ArraySlice<Int>, augmentation: BatchAugmentation, using rng: inout SeededGenerator
    ) -> (images: Tensor, labels: [Int32]) {
        var values: [Float] = []
        fillBatch(indices: indices, into: &values, augmentation: augmentation, using: &rng)
        var batchLabels: [Int32] = []
        fillLabels(indices: indices, into: &batchLabels)
        return (Tensor(shape: [indices.count, imageSize], scalars: values), batchLabels)
    }

    /// Runs `transform(source image, transformed bytes, scratch)` per sample and writes the
    /// transformed bytes through the value table.
    private func fillTransformed(
        indices: ArraySlice<Int>, into images: inout [Float],
        _ transform: (UnsafeBufferPointer<UInt8>, UnsafeMutableBufferPointer<UInt8>, inout [UInt8]) -> Void
    ) {
        let size = imageSize
        let plane = height * width
        Self.resize(&images, to: indices.count * size)
        var transformed = [UInt8](repeating: 0, count: size)
        var scratch: [UInt8] = []
        images.withUnsafeMutableBufferPointer { destination in
            pixels.withUnsafeBufferPointer { source in
                valueTable.withUnsafeBufferPointer { table in
                    var row = 0
                    for index in indices {
                        precondition(index >= 0 && index < count, "index \(index) outside 0..<\(count)")
                        let image = UnsafeBufferPointer(rebasing: source[(index * size)..<((index + 1) * size)])
                        transformed.withUnsafeMutableBufferPointer { transform(image, $0, &scratch) }
                        let to = row * size
                        for c in 0..<channels {
                            let lookup = c * 256
                            for j in (c * plane)..<((c + 1) * plane) {
                                destination[to + j] = table[lookup + Int(transformed[j])]
                            }
                        }
                        row += 1
                    }
                }
            }
        }
    }
}
