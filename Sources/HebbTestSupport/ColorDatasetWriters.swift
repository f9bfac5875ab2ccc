import CJPEGShim
import Foundation

/// Images and labels as a loader should return them: planar (N, C, H, W) bytes and labels.
public struct WrittenImages: Equatable, Sendable {
    /// Pixel bytes, planar (N, C, H, W).
    public var pixels: [UInt8]
    /// One label per image (−1: unlabelled).
    public var labels: [Int32]
}

/// Writers for tiny CIFAR, STL-10 and JPEG image-folder datasets in temporary directories,
/// byte for byte in the official formats (never real data).
extension DatasetWriters {
    /// Deterministic planar images: image n, channel c, pixel j = (37n + 101c + 11j + seed) mod 256.
    public static func colorPixels(count: Int, channels: Int, height: Int, width: Int, seed: Int = 0) -> [UInt8] {
        let plane = height * width
        return (0..<(count * channels * plane)).map { index in
            let n = index / (channels * plane), c = (index / plane) % channels, j = index % plane
            return UInt8((37 * n + 101 * c + 11 * j + seed) % 256)
        }
    }

    /// CIFAR records: for each image its label byte(s) (`coarse` first when given, as in
    /// CIFAR-100), then its 3072 planar pixel bytes.
    public static func cifarRecords(pixels: [UInt8], labels: [Int32], coarse: [Int32]? = nil) -> [UInt8] {
        let size = 3 * 32 * 32
        var bytes: [UInt8] = []
        for n in labels.indices {
            if let coarse { bytes.append(UInt8(coarse[n])) }
            bytes.append(UInt8(labels[n]))
            bytes += pixels[(n * size)..<((n + 1) * size)]
        }
        return bytes
    }

    /// Writes `cifar-10-batches-bin`'s six files into `directory` (`trainPerBatch` records in each
    /// of `data_batch_1…5.bin`, `test` in `test_batch.bin`; labels n mod 10) and returns the
    /// training set (batches concatenated) and the test set.
    @discardableResult
    public static func writeCIFAR10(
        to directory: URL, trainPerBatch: Int = 4, test: Int = 3
    ) throws -> (train: WrittenImages, test: WrittenImages) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let train = WrittenImages(
            pixels: colorPixels(count: 5 * trainPerBatch, channels: 3, height: 32, width: 32),
            labels: (0..<(5 * trainPerBatch)).map { Int32($0 % 10) })
        let size = 3 * 32 * 32
        for batch in 0..<5 {
            let range = (batch * trainPerBatch)..<((batch + 1) * trainPerBatch)
            let bytes = cifarRecords(
                pixels: Array(train.pixels[(range.lowerBound * size)..<(range.upperBound * size)]),
                labels: Array(train.labels[range]))
            try Data(bytes).write(to: directory.appendingPathComponent("data_batch_\(batch + 1).bin"))
        }
        let testSet = WrittenImages(
            pixels: colorPixels(count: test, channels: 3, height: 32, width: 32, seed: 7),
            labels: (0..<test).map { Int32(($0 * 3) % 10) })
        try Data(cifarRecords(pixels: testSet.pixels, labels: testSet.labels))
            .write(to: directory.appendingPathComponent("test_batch.bin"))
        return (train, testSet)
    }

    /// Writes `cifar-100-binary`'s `train.bin` and `test.bin` (fine labels 7n+3 mod 100, coarse
    /// labels fine/5) and returns both sets with their fine labels.
    @discardableResult
    public static func writeCIFAR100(to directory: URL, train: Int = 6, test: Int = 3) throws -> (train: WrittenImages, test: WrittenImages) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var sets: [WrittenImages] = []
        for (name, count, seed) in [("train.bin", train, 0), ("test.bin", test, 5)] {
            let set = WrittenImages(
                pixels: colorPixels(count: count, channels: 3, height: 32, width: 32, seed: seed),
                labels: (0..<count).map { Int32((7 * $0 + 3 + seed) % 100) })
            let bytes = cifarRecords(pixels: set.pixels, labels: set.labels, coarse: set.labels.map { $0 / 5 })
            try Data(bytes).write(to: directory.appendingPathComponent(name))
            sets.append(set)
        }
        return (sets[0], sets[1])
    }

    /// Planar (N, 3, 96, 96) images stored the STL-10 way: each channel column-major (C, W, H).
    public static func stlImageBytes(planar pixels: [UInt8]) -> [UInt8] {
        let side = 96, plane = side * side
        var bytes = [UInt8](repeating: 0, count: pixels.count)
        for image in 0..<(pixels.count / (3 * plane)) {
            for c in 0..<3 {
                let base = (image * 3 + c) * plane
                for y in 0..<side {
                    for x in 0..<side { bytes[base + x * side + y] = pixels[base + y * side + x] }
                }
            }
        }
        return bytes
    }

    /// Writes `stl10_binary`'s five files (labels stored 1…10, returned as 0…9; unlabelled −1)
    /// and returns the train, test and unlabelled sets as a loader should produce them.
    @discardableResult
    public static func writeSTL10(
        to directory: URL, train: Int = 3, test: Int = 2, unlabeled: Int = 2
    ) throws -> (train: WrittenImages, test: WrittenImages, unlabeled: WrittenImages) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var sets: [WrittenImages] = []
        for (prefix, count, seed) in [("train", train, 1), ("test", test, 2), ("unlabeled", unlabeled, 3)] {
            let labels: [Int32] = prefix == "unlabeled" ? Array(repeating: -1, count: count) : (0..<count).map { Int32((3 * $0 + seed) % 10) }
            let set = WrittenImages(pixels: colorPixels(count: count, channels: 3, height: 96, width: 96, seed: seed), labels: labels)
            try Data(stlImageBytes(planar: set.pixels)).write(to: directory.appendingPathComponent("\(prefix)_X.bin"))
            if prefix != "unlabeled" {
                try Data(labels.map { UInt8($0 + 1) }).write(to: directory.appendingPathComponent("\(prefix)_y.bin"))
            }
            sets.append(set)
        }
        return (sets[0], sets[1], sets[2])
    }

    /// JPEG bytes (baseline, no chroma subsampling) of interleaved (H, W, components) pixels,
    /// encoded by the system libjpeg; components 1 (gray) or 3 (RGB).
    public static func jpeg(pixels: [UInt8], width: Int, height: Int, components: Int = 3, quality: Int = 100) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = pixels.withUnsafeBufferPointer {
            hebb_jpeg_encode($0.baseAddress, Int32(width), Int32(height), Int32(components), Int32(quality), &output, &size, nil, 0)
        }
        defer { hebb_jpeg_free(output) }
        precondition(status == 0, "hebb_jpeg_encode failed with status \(status)")
        guard let output else { return [] }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    /// The flat colour of class `k` in the image folders `writeImageFolder` makes.
    public static func classColor(_ k: Int) -> [UInt8] {
        [UInt8((40 * k + 20) % 256), UInt8(200 - (30 * k) % 180), UInt8((90 + 70 * k) % 256)]
    }

    /// Writes `directory/<class>/img<i>.JPEG` for each class name (in the given order): flat
    /// `classColor(rank)` images, where rank is the class's position in sorted order, of
    /// `width`×`height` plus i pixels of width, so sizes differ.
    public static func writeImageFolder(
        to directory: URL, classes: [String], imagesPerClass: Int = 2, width: Int = 12, height: Int = 9
    ) throws {
        let ranks = Dictionary(uniqueKeysWithValues: classes.sorted().enumerated().map { ($1, $0) })
        for name in classes {
            let folder = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<imagesPerClass {
                let w = width + i
                let color = classColor(ranks[name] ?? 0)
                let pixels = (0..<(w * height)).flatMap { _ in color }
                try Data(jpeg(pixels: pixels, width: w, height: height)).write(to: folder.appendingPathComponent("img\(i).JPEG"))
            }
        }
    }
}
