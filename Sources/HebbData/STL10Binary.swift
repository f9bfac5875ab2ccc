import HebbText

/// The binary version of STL-10 (Coates, Lee & Ng 2011, https://cs.stanford.edu/~acoates/stl10/).
///
/// `*_X.bin` holds 3×96×96 uint8 images one after another, each channel stored column-major
/// (the file is (N, C, W, H), as MATLAB wrote it); we transpose every channel to row-major so
/// images are planar (C, H, W) like every other family (torchvision does the same
/// `transpose(0, 1, 3, 2)`). `*_y.bin` holds one byte per image, labels 1…10, stored here as
/// 0…9. The unlabelled split has no label file: its images get `LabeledImages.unlabeled` (−1).
public enum STL10Binary {
    /// Image side in pixels.
    public static let side = 96
    /// Bytes per image (3×96×96).
    public static let imageBytes = 3 * side * side

    /// Image files of a training split, in the order they are concatenated
    /// (train+unlabeled: the 5 000 labelled images first, as torchvision).
    public static func imageFiles(split: DatasetSplit) -> [String] {
        switch split {
        case .unlabeled: return ["unlabeled_X.bin"]
        case .trainAndUnlabeled: return ["train_X.bin", "unlabeled_X.bin"]
        case .train, .validation, .test: return ["train_X.bin"]
        }
    }

    /// The label file of an image file (`train_X.bin` → `train_y.bin`), nil for `unlabeled_X.bin`.
    public static func labelFile(forImages name: String) -> String? {
        name.hasPrefix("unlabeled") ? nil : name.replacing("_X.bin", with: "_y.bin")
    }

    /// Reads and concatenates image files with their label files (nil: unlabelled images).
    ///
    /// All sizes are checked before the pixels are allocated; image and label counts must agree.
    public static func read(images: [URL], labels: [URL?]) throws -> LabeledImages {
        precondition(images.count == labels.count, "one label file (or nil) per image file")
        let counts = try images.map { try RecordFile.recordCount(at: $0, recordBytes: imageBytes, record: "STL-10 image") }
        var allLabels: [Int32] = []
        for (index, labelURL) in labels.enumerated() {
            allLabels += try labelURL.map { try readLabels(at: $0, imagesPath: images[index].path, imageCount: counts[index]) }
                ?? [Int32](repeating: LabeledImages.unlabeled, count: counts[index])
        }
        var pixels = [UInt8](repeating: 0, count: counts.reduce(0, +) * imageBytes)
        var offset = 0
        for (url, count) in zip(images, counts) {
            try pixels.withUnsafeMutableBufferPointer { destination in
                try RecordFile.forEachChunk(at: url, recordBytes: imageBytes, recordCount: count) { records, first in
                    for r in 0..<(records.count / imageBytes) {
                        transpose(records, from: r * imageBytes, into: destination, at: (offset + first + r) * imageBytes)
                    }
                }
            }
            offset += count
        }
        return LabeledImages(
            unchecked: pixels, labels: allLabels, channels: 3, height: side, width: side, classCount: 10)
    }

    /// Labels 1…10 of a `*_y.bin` file as 0…9; the file must hold `imageCount` bytes.
    static func readLabels(at url: URL, imagesPath: String, imageCount: Int) throws -> [Int32] {
        let count = try RecordFile.recordCount(at: url, recordBytes: 1, record: "STL-10 label")
        guard count == imageCount else {
            throw DataError.countMismatch(imagesPath: imagesPath, images: imageCount, labelsPath: url.path, labels: count)
        }
        var labels = [Int32](repeating: 0, count: count)
        try RecordFile.forEachChunk(at: url, recordBytes: 1, recordCount: count) { bytes, first in
            for (i, stored) in bytes.enumerated() {
                guard (1...10).contains(stored) else {
                    throw DataError.labelOutOfRange(path: url.path, index: first + i, label: Int(stored) - 1, classCount: 10)
                }
                labels[first + i] = Int32(stored) - 1
            }
        }
        return labels
    }

    /// Copies one stored image (C, W, H) at `source[from...]` to planar (C, H, W) at `destination[to...]`.
    static func transpose(
        _ source: UnsafeRawBufferPointer, from: Int, into destination: UnsafeMutableBufferPointer<UInt8>, at to: Int
    ) {
        let plane = side * side
        for c in 0..<3 {
            let sourcePlane = from + c * plane
            let targetPlane = to + c * plane
            for x in 0..<side {
                for y in 0..<side { destination[targetPlane + y * side + x] = source[sourcePlane + x * side + y] }
            }
        }
    }
}
