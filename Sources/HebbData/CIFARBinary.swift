import HebbText

/// The binary versions of CIFAR-10 and CIFAR-100 (Krizhevsky 2009,
/// https://www.cs.toronto.edu/~kriz/cifar.html).
///
/// A file is a sequence of records: the label byte(s), then 3072 pixel bytes, the 1024 red,
/// 1024 green and 1024 blue values of the 32×32 image, each row-major. That is already planar
/// (C, H, W), so pixels are copied as they are. CIFAR-10 records have one label byte (0–9);
/// CIFAR-100 records have the coarse label (0–19) then the fine label (0–99), and the fine one
/// is used, as torchvision does.
public enum CIFARBinary {
    /// Pixel bytes per image (3×32×32).
    public static let imageBytes = 3 * 32 * 32

    /// Files of the training set, in the order they are concatenated.
    public static func trainFiles(family: DatasetFamily) -> [String] {
        family == .cifar100 ? ["train.bin"] : (1...5).map { "data_batch_\($0).bin" }
    }

    /// Files of the test set.
    public static func testFiles(family: DatasetFamily) -> [String] {
        family == .cifar100 ? ["test.bin"] : ["test_batch.bin"]
    }

    /// Label bytes before the pixels of each record.
    static func labelBytes(family: DatasetFamily) -> Int { family == .cifar100 ? 2 : 1 }

    /// The record name used in size errors.
    static func recordName(family: DatasetFamily) -> String { family == .cifar100 ? "CIFAR-100 record" : "CIFAR-10 record" }

    /// Reads and concatenates `files` of `family` (CIFAR-10 or CIFAR-100).
    ///
    /// Every file's size is checked before the pixels of all of them are allocated; a label
    /// outside the family's classes throws `labelOutOfRange` with the file and record index.
    public static func read(files: [URL], family: DatasetFamily) throws -> LabeledImages {
        precondition(family.storage == .cifarBinary, "\(family) is not a CIFAR family")
        let labelBytes = labelBytes(family: family)
        let recordBytes = labelBytes + imageBytes
        let counts = try files.map {
            try RecordFile.recordCount(at: $0, recordBytes: recordBytes, record: recordName(family: family))
        }
        let total = counts.reduce(0, +)
        var pixels = [UInt8](repeating: 0, count: total * imageBytes)
        var labels = [Int32](repeating: 0, count: total)
        let classCount = family.classCount
        var offset = 0
        for (file, count) in zip(files, counts) {
            try pixels.withUnsafeMutableBytes { destination in
                try RecordFile.forEachChunk(at: file, recordBytes: recordBytes, recordCount: count) { records, first in
                    for r in 0..<(records.count / recordBytes) {
                        let record = r * recordBytes
                        let label = Int(records[record + labelBytes - 1])
                        guard label < classCount else {
                            throw DataError.labelOutOfRange(
                                path: file.path, index: first + r, label: label, classCount: classCount)
                        }
                        labels[offset + first + r] = Int32(label)
                        let target = (offset + first + r) * imageBytes
                        UnsafeMutableRawBufferPointer(rebasing: destination[target..<(target + imageBytes)]).copyMemory(
                            from: UnsafeRawBufferPointer(rebasing: records[(record + labelBytes)..<(record + recordBytes)]))
                    }
                }
            }
            offset += count
        }
        return LabeledImages(
            unchecked: pixels, labels: labels, channels: 3, height: 32, width: 32, classCount: classCount)
    }
}
