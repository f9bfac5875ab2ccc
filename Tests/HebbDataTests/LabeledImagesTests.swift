import HebbData
import HebbTensor
import HebbTestSupport
import XCTest

final class LabeledImagesTests: XCTestCase {
    private func fiveImages() throws -> LabeledImages {
        let images = try IDXFile(
            bytes: TestFiles.idx(dimensions: [5, 2, 3], payload: TestFiles.pixels(count: 5, height: 2, width: 3)),
            expectedDimensionCount: 3, path: "imgs")
        let labels = try IDXFile(
            bytes: TestFiles.idx(dimensions: [5], payload: [4, 0, 9, 1, 2]), expectedDimensionCount: 1, path: "lbls")
        return try LabeledImages(images: images, labels: labels, classCount: 10)
    }

    func testInit_fromIDX_keepsBytesAndShape() throws {
        let data = try fiveImages()
        XCTAssertEqual(data.count, 5)
        XCTAssertEqual([data.channels, data.height, data.width], [1, 2, 3])
        XCTAssertEqual(data.pixels, TestFiles.pixels(count: 5, height: 2, width: 3))
        XCTAssertEqual(data.labels, [4, 0, 9, 1, 2])
    }

    func testBatch_valuesAreBytesOver255InIndexOrder() throws {
        let data = try fiveImages()
        let batch = data.batch(indices: [3, 0, 3])
        let raw = TestFiles.pixels(count: 5, height: 2, width: 3)
        let expected = [3, 0, 3].flatMap { n in (0..<6).map { Float(raw[n * 6 + $0]) / 255 } }
        XCTAssertEqual(batch.images.shape, [3, 6])
        XCTAssertEqual(batch.images.scalars, expected)
        XCTAssertEqual(batch.labels, [1, 4, 1])
    }

    func testFillBatch_reusesBufferWithoutReallocating() throws {
        let data = try fiveImages()
        var buffer: [Float] = []
        buffer.reserveCapacity(64)
        let before = buffer.withUnsafeBufferPointer { $0.baseAddress }
        data.fillBatch(indices: [0, 1, 2, 3][...], into: &buffer)
        XCTAssertEqual(buffer.count, 24)
        data.fillBatch(indices: [4, 2][...], into: &buffer)
        XCTAssertEqual(buffer.count, 12)
        XCTAssertEqual(buffer.withUnsafeBufferPointer { $0.baseAddress }, before)
        XCTAssertEqual(buffer, data.batch(indices: [4, 2]).images.scalars)
        var labels: [Int32] = [7, 7, 7]
        data.fillLabels(indices: [4, 2][...], into: &labels)
        XCTAssertEqual(labels, [2, 9])
    }

    func testFillBatch_noiseIsSeededAndHasRequestedSpread() throws {
        let pixels = [UInt8](repeating: 0, count: 200 * 28 * 28)
        let data = try LabeledImages(
            pixels: pixels, labels: [Int32](repeating: 0, count: 200), channels: 1, height: 28, width: 28,
            classCount: 10)
        var rngA = SeededGenerator(seed: 5), rngB = SeededGenerator(seed: 5)
        let a = data.batch(indices: Array(0..<200)[...], noiseStandardDeviation: 0.5, using: &rngA)
        let b = data.batch(indices: Array(0..<200)[...], noiseStandardDeviation: 0.5, using: &rngB)
        XCTAssertEqual(a.images, b.images)
        let values = a.images.scalars
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(variance.squareRoot(), 0.5, accuracy: 0.01)
        var untouched = SeededGenerator(seed: 5)
        XCTAssertEqual(data.batch(indices: [0][...], noiseStandardDeviation: 0, using: &untouched).images.maxAbsolute(), 0)
        XCTAssertEqual(untouched.next(), SeededGenerator(seed: 5).nextCopy())
    }

    func testInit_labelCountDiffersFromImageCount_throwsCountMismatch() throws {
        let images = try IDXFile(
            bytes: TestFiles.idx(dimensions: [5, 2, 3], payload: TestFiles.pixels(count: 5, height: 2, width: 3)),
            expectedDimensionCount: 3, path: "/t/imgs")
        let labels = try IDXFile(
            bytes: TestFiles.idx(dimensions: [4], payload: [0, 1, 2, 3]), expectedDimensionCount: 1, path: "/t/lbls")
        let error = TestFiles.dataError { try LabeledImages(images: images, labels: labels, classCount: 10) }
        XCTAssertEqual(error, .countMismatch(imagesPath: "/t/imgs", images: 5, labelsPath: "/t/lbls", labels: 4))
        XCTAssertTrue(error?.description.contains("5 images in /t/imgs but 4 labels in /t/lbls") ?? false)
        XCTAssertNotNil(TestFiles.dataError {
            try LabeledImages(pixels: [1, 2, 3], labels: [0], channels: 1, height: 2, width: 2, classCount: 10)
        })
    }

    func testInit_labelOutOfRange_throwsWithIndex() throws {
        let images = try IDXFile(
            bytes: TestFiles.idx(dimensions: [2, 1, 1], payload: [0, 0]), expectedDimensionCount: 3, path: "i")
        let labels = try IDXFile(bytes: TestFiles.idx(dimensions: [2], payload: [3, 10]), expectedDimensionCount: 1, path: "l")
        XCTAssertEqual(
            TestFiles.dataError { try LabeledImages(images: images, labels: labels, classCount: 10) },
            .labelOutOfRange(path: "l", index: 1, label: 10, classCount: 10))
    }

    func testSubsetAndClassIndices() throws {
        let data = try fiveImages()
        XCTAssertEqual(data.indices(ofClasses: [1, 4]), [0, 3])
        let subset = data.subset([2, 0])
        XCTAssertEqual(subset.labels, [9, 4])
        XCTAssertEqual(subset.batch(indices: [0, 1]).images, data.batch(indices: [2, 0]).images)
    }
}

extension SeededGenerator {
    /// The next value of a copy, leaving `self` unchanged.
    fileprivate func nextCopy() -> UInt64 {
        var copy = self
        return copy.next()
    }
}
