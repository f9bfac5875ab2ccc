/// N labelled images kept as bytes (N, C, H, W); converted to floats (byte/255, then the
/// family's normalisation) only per batch, so the 60 000 MNIST training images take 47 MB
/// instead of 188 MB.
public struct LabeledImages: Sendable, Equatable {
    /// The label of an image that has none (STL-10's unlabelled split, as torchvision's −1).
    public static let unlabeled: Int32 = -1

    /// Pixel bytes, row-major (N, C, H, W).
    public let pixels: [UInt8]
    /// One label per image, each in `0..<classCount`, or `unlabeled` where allowed.
    public let labels: [Int32]
    /// Channels per image (C).
    public let channels: Int
    /// Image height (H).
    public let height: Int
    /// Image width (W).
    public let width: Int
    /// Number of label classes.
    public let classCount: Int
    /// How bytes become batch values.
    public let normalization: PixelNormalization
    /// `normalization.lookupTable(channels:)`: the batch value of byte b in channel c at `c·256 + b`.
    let valueTable: [Float]
    /// ZCA whitening applied to every batch after the normalisation (nil: none).
    public private(set) var whitening: Whitening?

    /// Number of images (N).
    public var count: Int { labels.count }
    /// Values per image (C·H·W), the width of a batch row.
    public var imageSize: Int { channels * height * width }
    /// Number of images without a label (`unlabeled`).
    public var unlabeledCount: Int { labels.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }

    /// Checked construction: `pixels` must hold `labels.count` images of C·H·W bytes and every
    /// label must lie in `0..<classCount` (or be `unlabeled` when `allowsUnlabeled`); `source`
    /// names the data in errors.
    public init(
        pixels: [UInt8], labels: [Int32], channels: Int, height: Int, width: Int, classCount: Int,
        source: String = "<memory>", normalization: PixelNormalization = .unitRange, allowsUnlabeled: Bool = false
    ) throws {
        let imageSize = channels * height * width
        guard imageSize > 0, pixels.count == labels.count * imageSize else {
            throw DataError.countMismatch(
                imagesPath: source, images: imageSize > 0 ? pixels.count / imageSize : 0,
                labelsPath: source, labels: labels.count)
        }
        try Self.checkLabels(labels, classCount: classCount, path: source, allowsUnlabeled: allowsUnlabeled)
        self.init(
            unchecked: pixels, labels: labels, channels: channels, height: height, width: width,
            classCount: classCount, normalization: normalization)
    }

    /// Pairs an idx3 image file (N, H, W) with an idx1 label file (N); one channel.
    public init(images: IDXFile, labels: IDXFile, classCount: Int) throws {
        guard images.dimensions.count == 3, labels.dimensions.count == 1 else {
            throw DataError.shapeMismatch(path: images.path, expected: [-1, 28, 28], found: images.dimensions)
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw DataError.countMismatch(
                imagesPath: images.path, images: images.dimensions[0], labelsPath: labels.path,
                labels: labels.dimensions[0])
        }
        let labelValues = labels.payload.map { Int32($0) }
        try Self.checkLabels(labelValues, classCount: classCount, path: labels.path)
        self.init(
            unchecked: images.payload, labels: labelValues, channels: 1, height: images.dimensions[1],
            width: images.dimensions[2], classCount: classCount)
    }

    /// Construction without checks, for data already validated.
    init(
        unchecked pixels: [UInt8], labels: [Int32], channels: Int, height: Int, width: Int, classCount: Int,
        normalization: PixelNormalization = .unitRange
    ) {
        self.pixels = pixels
        self.labels = labels
        self.channels = channels
        self.height = height
        self.width = width
        self.classCount = classCount
        self.normalization = normalization
        self.valueTable = normalization.lookupTable(channels: channels)
    }

    /// A copy holding only the images at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabeledImages {
        let size = imageSize
        var newPixels = [UInt8](repeating: 0, count: indices.count * size)
        newPixels.withUnsafeMutableBufferPointer { destination in
            pixels.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    precondition(index >= 0 && index < count, "index \(index) outside 0..<\(count)")
                    for j in 0..<size { destination[row &* size &+ j] = source[index &* size &+ j] }
                }
            }
        }
        var copy = LabeledImages(
            unchecked: newPixels, labels: indices.map { labels[$0] }, channels: channels, height: height,
            width: width, classCount: classCount, normalization: normalization)
        copy.whitening = whitening
        return copy
    }

    /// The same images (bytes shared, not copied) with another normalisation and whitening.
    public func preprocessed(normalization: PixelNormalization, whitening: Whitening?) -> LabeledImages {
        precondition(whitening.map { $0.mean.count == imageSize } ?? true, "whitening of \(whitening?.mean.count ?? 0) values for images of \(imageSize)")
        var copy = LabeledImages(
            unchecked: pixels, labels: labels, channels: channels, height: height, width: width, classCount: classCount,
            normalization: normalization)
        copy.whitening = whitening
        return copy
    }

    /// Indices of the images whose label is in `classes`, ascending.
    public func indices(ofClasses classes: [Int]) -> [Int] {
        let wanted = Set(classes.map { Int32($0) })
        return labels.indices.filter { wanted.contains(labels[$0]) }
    }

    /// Throws `labelOutOfRange` for the first label outside `0..<classCount` (other than
    /// `unlabeled` when `allowsUnlabeled`).
    static func checkLabels(_ labels: [Int32], classCount: Int, path: String, allowsUnlabeled: Bool = false) throws {
        let lowest: Int32 = allowsUnlabeled ? unlabeled : 0
        if let index = labels.firstIndex(where: { $0 < lowest || Int($0) >= classCount }) {
            throw DataError.labelOutOfRange(path: path, index: index, label: Int(labels[index]), classCount: classCount)
        }
    }
}
