import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbData

/// Per-channel standardisation and ZCA whitening against NumPy (scripts/reference/zca.py), the
/// LAPACK eigensolver by its defining properties, and the dataset keys that switch them on.
final class PreprocessingTests: XCTestCase {
    struct Golden: Decodable {
        var shape: [Int]
        var pixels: [UInt8]
        var train_rows: [Int]
        var epsilon: Float
        var channel_mean: [Float], channel_std: [Float]
        var mean: [Float], matrix: [Float], whitened: [Float]
    }

    func loadGolden() throws -> Golden {
        let bundled = Bundle.module.url(forResource: "zca", withExtension: "json", subdirectory: "Golden")
        let fallback = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Golden/zca.json")
        let url = try XCTUnwrap(bundled ?? (FileManager.default.fileExists(atPath: fallback.path) ? fallback : nil))
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    func testSymmetricEigen_satisfiesAvEqualsLambdaVAndOrthonormality() {
        var rng = SeededGenerator(seed: 2)
        let n = 7
        let b = (0..<(n * n)).map { _ in rng.nextUniform() - 0.5 }
        var a = [Float](repeating: 0, count: n * n)  // A = B·Bᵀ + I: symmetric positive definite
        for i in 0..<n { for j in 0..<n { a[i * n + j] = (0..<n).reduce(i == j ? 1 : 0) { $0 + b[i * n + $1] * b[j * n + $1] } } }
        var vectors = a
        let values = try! XCTUnwrap(BLAS.symmetricEigen(&vectors, n: n))
        XCTAssertEqual(values, values.sorted(), "ascending")
        for k in 0..<n {
            let v = Array(vectors[(k * n)..<((k + 1) * n)])
            for i in 0..<n {
                let av = (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * v[$1] }
                XCTAssertEqual(av, values[k] * v[i], accuracy: 1e-4)
            }
            for l in 0..<n {
                let dot = (0..<n).reduce(Float(0)) { $0 + v[$1] * vectors[l * n + $1] }
                XCTAssertEqual(dot, k == l ? 1 : 0, accuracy: 1e-5)
            }
        }
    }

    func testStandardizationAndZCA_matchNumPy() throws {
        let g = try loadGolden()
        let images = try LabeledImages(
            pixels: g.pixels, labels: [Int32](repeating: 0, count: g.shape[0]), channels: g.shape[1], height: g.shape[2],
            width: g.shape[3], classCount: 1)
        let normalization = try PixelNormalization.standardization(of: images, rows: g.train_rows, key: "golden")
        assertClose(normalization.mean, g.channel_mean, tolerance: 1e-6)
        assertClose(normalization.standardDeviation, g.channel_std, tolerance: 1e-6)
        let standardized = images.preprocessed(normalization: normalization, whitening: nil)
        let whitening = try Whitening.zca(images: standardized, rows: g.train_rows, epsilon: g.epsilon, key: "golden")
        assertClose(whitening.mean, g.mean, tolerance: 1e-5)
        assertClose(whitening.matrix.scalars, g.matrix, tolerance: 2e-4)
        var values: [Float] = []
        standardized.preprocessed(normalization: normalization, whitening: whitening).fillBatch(indices: Array(0..<g.shape[0])[...], into: &values)
        assertClose(values, g.whitened, tolerance: 5e-4)
    }

    private func assertClose(_ a: [Float], _ b: [Float], tolerance: Float, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, file: file, line: line)
    }

    func testKeys_modifiersSwitchPreprocessingOnAndUnknownOnesFail() throws {
        XCTAssertTrue(try DatasetCatalog.resolve(key: "MNIST_5:std").standardized)
        let zca = try DatasetCatalog.resolve(key: "CIFAR10_50:zca")
        XCTAssertTrue(zca.zcaWhitened)
        XCTAssertEqual(zca.epochs, 50)
        XCTAssertEqual(zca.key, "CIFAR10_50:zca")
        XCTAssertThrowsError(try DatasetCatalog.resolve(key: "MNIST_5:pca")) { error in
            XCTAssertTrue("\(error)".contains("unknown modifier 'pca'"), "\(error)")
        }
    }

    func testKeys_epochAndBatchModifiersOverrideTheKeysSchedule() throws {
        let config = try DatasetCatalog.resolve(key: "FashionMNIST_1:std:e12:b2")
        XCTAssertEqual(config.epochs, 12)
        XCTAssertEqual(config.batchSize, 2)
        XCTAssertTrue(config.standardized)
        let plain = try DatasetCatalog.resolve(key: "MNIST_10:b64")
        XCTAssertEqual(plain.epochs, 10, "the key's own epochs stay")
        XCTAssertEqual(plain.batchSize, 64)
        for bad in ["MNIST_1:e0", "MNIST_1:b", "MNIST_1:e1.5", "MNIST_1:bx"] {
            XCTAssertThrowsError(try DatasetCatalog.resolve(key: bad), bad) { error in
                XCTAssertTrue("\(error)".contains("positive whole number"), "\(error)")
            }
        }
    }

    func testLoad_zcaKey_whitensTrainingAndTestWithTrainingStatistics() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hebb-zca-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try DatasetWriters.writeCIFAR10(to: directory.appendingPathComponent("cifar-10-batches-bin"), trainPerBatch: 8, test: 6)
        let config = try DatasetCatalog.resolve(key: "CIFAR10_1zca")
        let splits = try DatasetSplits.load(config: config, locator: DatasetLocator(explicitRoot: directory.path), validation: false)
        let whitening = try XCTUnwrap(splits.train.whitening)
        XCTAssertEqual(splits.evaluation.whitening, whitening, "test split uses the training statistics")
        XCTAssertEqual(whitening.matrix.shape, [3072, 3072])
        // Whitened training rows are centred: their mean is 0.
        var values: [Float] = []
        splits.train.fillBatch(indices: splits.trainIndices[...], into: &values)
        let d = 3072
        let worstMean = (0..<d).map { j in abs(stride(from: j, to: values.count, by: d).reduce(Float(0)) { $0 + values[$1] }) / Float(splits.trainIndices.count) }.max() ?? 1
        XCTAssertLessThan(worstMean, 1e-3)
        XCTAssertNotEqual(splits.train.normalization, .unitRange, "standardised before whitening")
    }

    func testLoad_zcaWithValidation_fitsOnTheTrainingRowsOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hebb-zca-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try DatasetWriters.writeMNIST(to: directory, train: 50, test: 10, seed: 4)
        let config = try DatasetCatalog.resolve(key: "MNIST_1:zca")
        let splits = try DatasetSplits.load(config: config, locator: DatasetLocator(explicitRoot: directory.path), validation: true)
        XCTAssertTrue(splits.evaluationIsValidation)
        XCTAssertEqual(splits.trainIndices.count, 40)
        let fitted = try XCTUnwrap(splits.train.whitening)
        XCTAssertEqual(splits.evaluation.whitening, fitted)
        let normalization = try PixelNormalization.standardization(of: splits.train, rows: splits.trainIndices, key: "x")
        XCTAssertEqual(splits.train.normalization, normalization, "standardised with the training rows' statistics")
        let everything = try PixelNormalization.standardization(of: splits.train, rows: Array(0..<50), key: "x")
        XCTAssertNotEqual(everything, normalization, "validation rows are not part of the statistics")
        let standardized = splits.train.preprocessed(normalization: normalization, whitening: nil)
        XCTAssertEqual(try Whitening.zca(images: standardized, rows: splits.trainIndices, key: "x").mean, fitted.mean)
    }
}
