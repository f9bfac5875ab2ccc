import CZlib
import Foundation
import HebbData

/// Writers for tiny IDX datasets in temporary directories (never the real data).
enum TestFiles {
    /// IDX bytes: magic 00 00 08 ndims, big-endian extents, payload.
    static func idx(dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for extent in dimensions {
            bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: extent >> $0) }
        }
        return bytes + payload
    }

    /// Deterministic pixels for `count` images of `height`×`width`: image n, pixel j = (37n + 11j) mod 256.
    static func pixels(count: Int, height: Int, width: Int) -> [UInt8] {
        let size = height * width
        return (0..<(count * size)).map { UInt8(((($0 / size) * 37) + ($0 % size) * 11) % 256) }
    }

    /// Gzip-compresses `bytes` with zlib (windowBits 31 = gzip wrapper).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2_ failed: \(status)")
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let written: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = uInt(destination.count)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate failed: \(result)")
                return destination.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }

    /// Writes `bytes` to `directory/name` (gzipped when `name` ends in .gz); returns the URL.
    @discardableResult
    static func write(_ bytes: [UInt8], to directory: URL, name: String) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(name.hasSuffix(".gz") ? gzip(bytes) : bytes).write(to: url)
        return url
    }

    /// Writes the four files of a tiny dataset (labels n mod classes) into `directory`.
    static func writeDataset(
        in directory: URL, trainCount: Int = 50, testCount: Int = 10, height: Int = 2, width: Int = 3,
        classes: Int = 10, compressed: Bool = false
    ) throws {
        let names = DatasetFamily.mnist.files
        let suffix = compressed ? ".gz" : ""
        for (name, count) in [(names.trainImages, trainCount), (names.testImages, testCount)] {
            let images = idx(dimensions: [count, height, width], payload: pixels(count: count, height: height, width: width))
            try write(images, to: directory, name: name + suffix)
        }
        for (name, count) in [(names.trainLabels, trainCount), (names.testLabels, testCount)] {
            let labels = idx(dimensions: [count], payload: (0..<count).map { UInt8($0 % classes) })
            try write(labels, to: directory, name: name + suffix)
        }
    }

    /// A config for the tiny datasets `writeDataset` makes.
    static func config(_ key: String = "MNIST", height: Int = 2, width: Int = 3) throws -> DatasetConfig {
        var config = try DatasetCatalog.resolve(key: key)
        config.height = height
        config.width = width
        return config
    }

    /// The error `body` throws as a `DataError`, or nil.
    static func dataError<T>(_ body: () throws -> T) -> DataError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? DataError
        }
    }
}
