import HebbText
import HebbTensor

/// A rectangle of an image in pixels: rows `top..<top+height`, columns `left..<left+width`.
public struct CropRectangle: Equatable, Sendable, CustomStringConvertible {
    /// First row.
    public var top: Int
    /// First column.
    public var left: Int
    /// Rows.
    public var height: Int
    /// Columns.
    public var width: Int

    /// A rectangle; nothing is checked until it is used on an image.
    public init(top: Int, left: Int, height: Int, width: Int) {
        self.top = top
        self.left = left
        self.height = height
        self.width = width
    }

    /// `(top, left, height×width)`.
    public var description: String { "(\(top), \(left), \(height)×\(width))" }
}

/// The random transform applied per training sample at batch time (spec §2.3), drawn from the
/// generator passed to `fillBatch(indices:into:augmentation:using:)`.
public enum BatchAugmentation: Equatable, Sendable {
    /// Pixels as stored.
    case none
    /// `x + N(0,1)·σ` per pixel (SoftHebb's MNIST "augmentation").
    case gaussianNoise(standardDeviation: Float)
    /// torchvision `RandomCrop(size, padding, padding_mode="reflect")` then
    /// `RandomHorizontalFlip(0.5)` (CIFAR, STL-10).
    case cropAndFlip(padding: Int)
    /// torchvision `RandomResizedCrop(size, scale, ratio)` then `RandomHorizontalFlip(0.5)`
    /// (ImageNet-style families), applied to the stored W×H image.
    case resizedCropAndFlip(scale: ClosedRange<Double>, ratio: ClosedRange<Double>)

    /// SoftHebb's CIFAR/STL-10 crop: 4 pixels of reflect padding.
    public static let reflectCropAndFlip = BatchAugmentation.cropAndFlip(padding: 4)
    /// torchvision's `RandomResizedCrop` defaults: scale 0.08–1, aspect ratio 3/4–4/3.
    public static let imageNetResizedCrop = BatchAugmentation.resizedCropAndFlip(scale: 0.08...1, ratio: (3.0 / 4)...(4.0 / 3))

    /// Whether batches equal the stored images (no noise, no crop): callers may then cache
    /// anything computed from them.
    public var isIdentity: Bool {
        switch self {
        case .none: return true
        case .gaussianNoise(let standardDeviation): return standardDeviation == 0
        case .cropAndFlip, .resizedCropAndFlip: return false
        }
    }

    /// torchvision `RandomCrop.get_params` for a `padding`-padded H×W image cropped back to
    /// H×W: top and left offsets into the padded image, each uniform in `0...2·padding`.
    public static func cropOffsets(padding: Int, using rng: inout SeededGenerator) -> (top: Int, left: Int) {
        let top = rng.nextIndex(below: 2 * padding + 1)
        let left = rng.nextIndex(below: 2 * padding + 1)
        return (top, left)
    }

    /// torchvision `RandomResizedCrop.get_params`: up to 10 tries of an area fraction uniform in
    /// `scale` and a log-uniform aspect ratio in `ratio`, else the central crop of the nearest
    /// allowed aspect ratio. Python's `round` (half to even) is reproduced.
    public static func resizedCropRectangle(
        height: Int, width: Int, scale: ClosedRange<Double>, ratio: ClosedRange<Double>,
        using rng: inout SeededGenerator
    ) -> CropRectangle {
        let area = Double(height * width)
        let logRatio = log(ratio.lowerBound)...log(ratio.upperBound)
        for _ in 0..<10 {
            let targetArea = area * uniform(scale, using: &rng)
            let aspectRatio = exp(uniform(logRatio, using: &rng))
            let w = Int((targetArea * aspectRatio).squareRoot().rounded(.toNearestOrEven))
            let h = Int((targetArea / aspectRatio).squareRoot().rounded(.toNearestOrEven))
            if w > 0 && w <= width && h > 0 && h <= height {
                let top = rng.nextIndex(below: height - h + 1)
                let left = rng.nextIndex(below: width - w + 1)
                return CropRectangle(top: top, left: left, height: h, width: w)
            }
        }
        let inputRatio = Double(width) / Double(height)
        var (h, w) = (height, width)
        if inputRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if inputRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return CropRectangle(top: (height - h) / 2, left: (width - w) / 2, height: h, width: w)
    }

    /// A uniform double in `range` (53 random bits).
    static func uniform(_ range: ClosedRange<Double>, using rng: inout SeededGenerator) -> Double {
        let unit = Double(rng.next() >> 11) * 0x1p-53
        return range.lowerBound + (range.upperBound - range.lowerBound) * unit
    }
}
