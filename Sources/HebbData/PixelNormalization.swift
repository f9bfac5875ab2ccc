/// How a stored pixel byte becomes a network input: `(byte/255 − mean[c]) / std[c]`, in `Float`
/// arithmetic as torchvision's `ToTensor` then `Normalize` compute it.
///
/// A one-element `mean`/`standardDeviation` applies to every channel.
public struct PixelNormalization: Codable, Equatable, Sendable {
    /// Per-channel mean subtracted after dividing by 255.
    public var mean: [Float]
    /// Per-channel standard deviation divided by last.
    public var standardDeviation: [Float]

    /// Creates a normalisation; both arrays hold one value, or one per channel.
    public init(mean: [Float], standardDeviation: [Float]) {
        precondition(!mean.isEmpty && mean.count == standardDeviation.count, "mean \(mean) and std \(standardDeviation) must have one entry per channel")
        precondition(standardDeviation.allSatisfy { $0 > 0 }, "standard deviations must be positive: \(standardDeviation)")
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// byte/255 only (MNIST, CIFAR, STL-10: spec §2.3 "no normalisation").
    public static let unitRange = PixelNormalization(mean: [0], standardDeviation: [1])

    /// ImageNet's statistics (ImageNet, ImageNette, ImageNetV2; spec §2.3).
    public static let imageNet = PixelNormalization(
        mean: [0.485, 0.456, 0.406], standardDeviation: [0.229, 0.224, 0.225])

    /// The value of every byte for every channel: entry `c·256 + byte`.
    ///
    /// For `unitRange` this is exactly `Float(byte) / 255` (subtracting 0 and dividing by 1
    /// change nothing), the value MNIST batches have always had.
    public func lookupTable(channels: Int) -> [Float] {
        precondition(mean.count == 1 || mean.count == channels, "normalisation has \(mean.count) channels, images have \(channels)")
        var table = [Float](repeating: 0, count: channels * 256)
        for c in 0..<channels {
            let m = mean.count == 1 ? mean[0] : mean[c]
            let s = standardDeviation.count == 1 ? standardDeviation[0] : standardDeviation[c]
            for byte in 0..<256 { table[c * 256 + byte] = (Float(byte) / 255 - m) / s }
        }
        return table
    }
}
