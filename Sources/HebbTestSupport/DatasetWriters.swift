import Foundation

/// Writers for tiny, easy MNIST-shaped IDX datasets in temporary directories (never real data).
///
/// Each of the 10 classes is a bright 7×7 square at its own place on a 4×4 grid of the 28×28
/// image, shifted by up to one pixel, over dim seeded noise: a tiny model separates them easily.
public enum DatasetWriters {
    /// The four MNIST file names, in the order train images, train labels, test images, test labels.
    public static let mnistFileNames = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ]

    /// IDX bytes: magic `00 00 08 ndims`, big-endian extents, then the payload.
    public static func idx(dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for extent in dimensions {
            bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: extent >> $0) }
        }
        return bytes + payload
    }

    /// `count` labels cycling through the classes, and their 28×28 images.
    public static func samples(count: Int, classes: Int = 10, seed: UInt64) -> (images: [UInt8], labels: [UInt8]) {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var images = [UInt8](repeating: 0, count: count * 784)
        var labels = [UInt8](repeating: 0, count: count)
        for n in 0..<count {
            let label = n % classes
            labels[n] = UInt8(label)
            let base = n * 784
            for j in 0..<784 { images[base + j] = UInt8(next() % 40) }
            let top = (label / 4) * 7 + Int(next() % 3) - 1
            let left = (label % 4) * 7 + Int(next() % 3) - 1
            for y in max(0, top)..<min(28, top + 7) {
                for x in max(0, left)..<min(28, left + 7) { images[base + y * 28 + x] = UInt8(200 + next() % 56) }
            }
        }
        return (images, labels)
    }

    /// Writes the four MNIST files (uncompressed) of `train` training and `test` test samples into
    /// `directory` (created if needed); returns their URLs in `mnistFileNames` order.
    @discardableResult
    public static func writeMNIST(to directory: URL, train: Int = 200, test: Int = 50, seed: UInt64 = 1) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let trainSet = samples(count: train, seed: seed)
        let testSet = samples(count: test, seed: seed &+ 1_000_003)
        let contents = [
            idx(dimensions: [train, 28, 28], payload: trainSet.images), idx(dimensions: [train], payload: trainSet.labels),
            idx(dimensions: [test, 28, 28], payload: testSet.images), idx(dimensions: [test], payload: testSet.labels),
        ]
        var urls: [URL] = []
        for (name, bytes) in zip(mnistFileNames, contents) {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            urls.append(url)
        }
        return urls
    }

    /// Cuts the file at `url` to the first `fraction` of its bytes.
    public static func truncate(_ url: URL, to fraction: Double = 0.5) throws {
        let data = try Data(contentsOf: url)
        try data.prefix(Int(Double(data.count) * fraction)).write(to: url)
    }

    /// Replaces `directory/name` with `directory/name.gz` holding a gzip header and garbage.
    public static func writeCorruptGzip(named name: String, in directory: URL) throws {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        let bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03] + (0..<64).map { UInt8(($0 * 73 + 11) % 256) }
        try Data(bytes).write(to: directory.appendingPathComponent(name + ".gz"))
    }

    /// Every regular file below `directory`, as paths relative to it, sorted (empty if absent).
    public static func files(under directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var out: [String] = []
        let root = directory.standardizedFileURL.path
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            out.append(path.hasPrefix(root) ? String(path.dropFirst(root.count + 1)) : path)
        }
        return out.sorted()
    }
}
