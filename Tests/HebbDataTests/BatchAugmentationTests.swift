import HebbData
import HebbTensor
import HebbTestSupport
import XCTest

final class BatchAugmentationTests: XCTestCase {
    private let (channels, height, width) = (3, 6, 7)

    private func images(count: Int = 4, normalization: PixelNormalization = .unitRange) throws -> LabeledImages {
        try LabeledImages(
            pixels: DatasetWriters.colorPixels(count: count, channels: channels, height: height, width: width),
            labels: (0..<count).map { Int32($0) }, channels: channels, height: height, width: width, classCount: 10,
            normalization: normalization)
    }

    /// Image `n` of `data` as bytes.
    private func image(_ data: LabeledImages, _ n: Int) -> [UInt8] {
        Array(data.pixels[(n * data.imageSize)..<((n + 1) * data.imageSize)])
    }

    /// Batch row `n` mapped back to bytes (unit-range values only).
    private func bytes(of values: [Float], row n: Int, size: Int) -> [UInt8] {
        values[(n * size)..<((n + 1) * size)].map { UInt8(($0 * 255).rounded()) }
    }

    func testReflect_mirrorsWithoutRepeatingTheEdge() {
        XCTAssertEqual((-4...8).map { ImageTransforms.reflect($0, 5) }, [4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1, 0])
        XCTAssertEqual(ImageTransforms.reflect(-3, 1), 0)
    }

    func testCropAndFlip_centredIsIdentity_flipMirrors_shiftReflects() throws {
        let data = try images(count: 1)
        let source = image(data, 0)
        func transform(top: Int, left: Int, flip: Bool) -> [UInt8] {
            ImageTransforms.cropAndFlip(
                source, channels: channels, height: height, width: width, padding: 4, top: top, left: left, flip: flip)
        }
        XCTAssertEqual(transform(top: 4, left: 4, flip: false), source)
        let mirrored = transform(top: 4, left: 4, flip: true)
        for c in 0..<channels {
            for y in 0..<height {
                let start = (c * height + y) * width
                XCTAssertEqual(Array(mirrored[start..<(start + width)]), source[start..<(start + width)].reversed())
            }
        }
        // top 0, left 1: output (y, x) = source(reflect(y − 4), reflect(x − 3)).
        let shifted = transform(top: 0, left: 1, flip: false)
        XCTAssertEqual(shifted[0], source[4 * width + 3])
        XCTAssertEqual(shifted[1 * width + 5], source[3 * width + 2])
    }

    func testFillBatch_cropAndFlip_isSeededAndEachSampleIsOneCandidateTransform() throws {
        let data = try images()
        let rows = [2, 0, 3, 1, 2][...]
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11), c = SeededGenerator(seed: 12)
        let first = data.batch(indices: rows, augmentation: .cropAndFlip(padding: 4), using: &a).images.scalars
        XCTAssertEqual(data.batch(indices: rows, augmentation: .cropAndFlip(padding: 4), using: &b).images.scalars, first)
        XCTAssertNotEqual(data.batch(indices: rows, augmentation: .cropAndFlip(padding: 4), using: &c).images.scalars, first)
        for (n, index) in rows.enumerated() {
            let output = bytes(of: first, row: n, size: data.imageSize)
            let candidates = (0...8).flatMap { top in
                (0...8).flatMap { left in
                    [false, true].map { flip in
                        ImageTransforms.cropAndFlip(
                            image(data, index), channels: channels, height: height, width: width, padding: 4, top: top,
                            left: left, flip: flip)
                    }
                }
            }
            XCTAssertTrue(candidates.contains(output), "sample \(n) is not a reflect-padded crop/flip of image \(index)")
        }
    }

    func testFillBatch_flipOnly_preservesEveryRowsPixelMultiset() throws {
        let data = try images()
        var rng = SeededGenerator(seed: 3)
        let values = data.batch(indices: [0, 1, 2, 3][...], augmentation: .cropAndFlip(padding: 0), using: &rng).images.scalars
        var flips = 0
        for n in 0..<4 {
            let output = bytes(of: values, row: n, size: data.imageSize)
            let source = image(data, n)
            XCTAssertEqual(output.sorted(), source.sorted())
            for r in 0..<(channels * height) {
                let range = (r * width)..<((r + 1) * width)
                XCTAssertEqual(output[range].sorted(), source[range].sorted())
            }
            if output != source { flips += 1 }
        }
        XCTAssertTrue(flips > 0 && flips < 4, "the coin should show both sides over 4 draws with this seed (\(flips))")
    }

    func testNoneAndZeroNoise_drawNothingAndMatchThePlainBatch() throws {
        let data = try images()
        for augmentation in [BatchAugmentation.none, .gaussianNoise(standardDeviation: 0)] {
            XCTAssertTrue(augmentation.isIdentity)
            var rng = SeededGenerator(seed: 5)
            var values: [Float] = []
            data.fillBatch(indices: [1, 3][...], into: &values, augmentation: augmentation, using: &rng)
            XCTAssertEqual(values, data.batch(indices: [1, 3]).images.scalars)
            XCTAssertEqual(rng.next(), SeededGenerator(seed: 5).firstValue)
        }
        XCTAssertFalse(BatchAugmentation.reflectCropAndFlip.isIdentity)
        XCTAssertFalse(BatchAugmentation.imageNetResizedCrop.isIdentity)
    }

    func testResizedCropRectangle_staysInsideAndFollowsScaleAndRatio() {
        var rng = SeededGenerator(seed: 21)
        for _ in 0..<200 {
            let crop = BatchAugmentation.resizedCropRectangle(
                height: 40, width: 50, scale: 0.08...1, ratio: (3.0 / 4)...(4.0 / 3), using: &rng)
            XCTAssertTrue(crop.top >= 0 && crop.left >= 0 && crop.top + crop.height <= 40 && crop.left + crop.width <= 50, "\(crop)")
            let area = Double(crop.height * crop.width) / 2000
            XCTAssertTrue(area > 0.05 && area <= 1, "\(crop)")
        }
        // No try can succeed: the fallback is the whole image when its ratio is allowed.
        var fallback = SeededGenerator(seed: 1)
        XCTAssertEqual(
            BatchAugmentation.resizedCropRectangle(height: 30, width: 30, scale: 2...3, ratio: 0.75...1.33, using: &fallback),
            CropRectangle(top: 0, left: 0, height: 30, width: 30))
        XCTAssertEqual(
            BatchAugmentation.resizedCropRectangle(height: 10, width: 40, scale: 2...3, ratio: 0.75...1.5, using: &fallback),
            CropRectangle(top: 0, left: 12, height: 10, width: 15))
    }

    func testFillBatch_resizedCrop_isSeededNormalisedAndFullCropIsIdentity() throws {
        let data = try images(normalization: .imageNet)
        var a = SeededGenerator(seed: 8), b = SeededGenerator(seed: 8)
        let first = data.batch(indices: [0, 1, 2][...], augmentation: .imageNetResizedCrop, using: &a).images.scalars
        XCTAssertEqual(data.batch(indices: [0, 1, 2][...], augmentation: .imageNetResizedCrop, using: &b).images.scalars, first)
        let lowest = (0 - 0.485) / 0.229 as Float, highest = (1 - 0.406) / 0.225 as Float
        XCTAssertTrue(first.allSatisfy { $0 >= lowest - 1e-5 && $0 <= highest + 1e-5 })
        // scale 1 and ratio exactly W/H: the crop is the whole image; only flips remain.
        var rng = SeededGenerator(seed: 4)
        let whole = BatchAugmentation.resizedCropAndFlip(scale: 1...1, ratio: (7.0 / 6)...(7.0 / 6))
        let plain = data.batch(indices: [0, 1, 2, 3]).images.scalars
        let values = data.batch(indices: [0, 1, 2, 3][...], augmentation: whole, using: &rng).images.scalars
        XCTAssertEqual(values.sorted(), plain.sorted())
    }

    func testImageNetNormalisation_isAppliedToEveryBatchPath() throws {
        let data = try images(count: 1, normalization: .imageNet)
        let values = data.batch(indices: [0]).images.scalars
        let plane = height * width
        for (c, (mean, std)) in zip([0.485, 0.456, 0.406] as [Float], [0.229, 0.224, 0.225] as [Float]).enumerated() {
            let byte = data.pixels[c * plane + 5]
            XCTAssertEqual(values[c * plane + 5], (Float(byte) / 255 - mean) / std)
        }
        XCTAssertEqual(try images(count: 1).batch(indices: [0]).images.scalars[7], Float(data.pixels[7]) / 255)
    }
}

extension SeededGenerator {
    /// The first value of a generator in this state, leaving it unchanged.
    fileprivate var firstValue: UInt64 {
        var copy = self
        return copy.next()
    }
}
