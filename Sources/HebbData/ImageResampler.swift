/// Pillow's `BILINEAR` resize of 8-bit images, the resize torchvision's `Resize` and
/// `RandomResizedCrop` apply to PIL images (spec §2.3).
///
/// A separable convolution with the triangle filter whose support widens with the shrink factor
/// (so downscaling averages the whole footprint instead of aliasing), in two passes
/// (horizontal, then vertical) with 22-bit fixed-point weights and 8-bit rounding in between,
/// as in Pillow's `libImaging/Resample.c` (`precompute_coeffs`, `normalize_coeffs_8bpc`,
/// `ImagingResampleHorizontal_8bpc`). Output is planar (C, H, W).
public enum ImageResampler {
    /// Pillow's `PRECISION_BITS` for 8-bit images: 32 − 8 − 2.
    static let precisionBits = 22

    /// Where pixel (c, y, x) of a source image lives: `c·channelStride + y·rowStride + x·columnStride`.
    public struct Layout: Sendable, Equatable {
        /// Channels (C).
        public var channels: Int
        /// Height (H).
        public var height: Int
        /// Width (W).
        public var width: Int
        /// Distance between channels.
        public var channelStride: Int
        /// Distance between rows.
        public var rowStride: Int
        /// Distance between neighbouring pixels of a row.
        public var columnStride: Int

        /// Planar (C, H, W) bytes, as `LabeledImages` stores them.
        public static func planar(channels: Int, height: Int, width: Int) -> Layout {
            Layout(channels: channels, height: height, width: width, channelStride: height * width, rowStride: width, columnStride: 1)
        }

        /// Interleaved (H, W, C) bytes, as JPEG decoders return them.
        public static func interleaved(channels: Int, height: Int, width: Int) -> Layout {
            Layout(channels: channels, height: height, width: width, channelStride: 1, rowStride: width * channels, columnStride: channels)
        }
    }

    /// Fixed-point filter taps of one axis: output i reads `count[i]` inputs from `first[i]`
    /// with weights `weights[i·kernelSize ..< i·kernelSize + count[i]]`.
    struct AxisTaps {
        var first: [Int] = []
        var count: [Int] = []
        var weights: [Int] = []
        var kernelSize = 0

        /// Pillow's `precompute_coeffs` (bilinear filter, support 1) then `normalize_coeffs_8bpc`.
        init(inputSize: Int, outputSize: Int) {
            let scale = Double(inputSize) / Double(outputSize)
            let filterScale = max(scale, 1)
            let support = filterScale
            kernelSize = Int(support.rounded(.up)) * 2 + 1
            weights = [Int](repeating: 0, count: outputSize * kernelSize)
            var real = [Double](repeating: 0, count: kernelSize)
            for output in 0..<outputSize {
                let center = (Double(output) + 0.5) * scale
                // Int(_:) truncates toward zero, as C's (int) cast does.
                let low = max(Int(center - support + 0.5), 0)
                let high = min(Int(center + support + 0.5), inputSize)
                let taps = max(high - low, 0)
                var total = 0.0
                for k in 0..<taps {
                    let distance = abs((Double(k + low) - center + 0.5) / filterScale)
                    real[k] = distance < 1 ? 1 - distance : 0
                    total += real[k]
                }
                for k in 0..<taps {
                    let w = total != 0 ? real[k] / total : real[k]
                    let fixed = w * Double(1 << ImageResampler.precisionBits)
                    weights[output * kernelSize + k] = w < 0 ? Int(-0.5 + fixed) : Int(0.5 + fixed)
                }
                first.append(low)
                count.append(taps)
            }
        }
    }

    /// Resizes the `crop` of `source` (laid out as `layout`) to planar (C, outputHeight,
    /// outputWidth) bytes in `destination`, treating the crop as a whole image (torchvision's
    /// crop-then-resize). `scratch` holds the horizontal pass and is reused between calls.
    public static func resize(
        _ source: UnsafeBufferPointer<UInt8>, layout: Layout, crop: CropRectangle, outputHeight: Int,
        outputWidth: Int, into destination: UnsafeMutableBufferPointer<UInt8>, scratch: inout [UInt8]
    ) {
        precondition(
            crop.top >= 0 && crop.left >= 0 && crop.height > 0 && crop.width > 0
                && crop.top + crop.height <= layout.height && crop.left + crop.width <= layout.width,
            "crop \(crop) outside the \(layout.height)×\(layout.width) image")
        precondition(outputHeight > 0 && outputWidth > 0, "output size must be positive")
        precondition(destination.count >= layout.channels * outputHeight * outputWidth, "destination too small")
        let horizontal = AxisTaps(inputSize: crop.width, outputSize: outputWidth)
        let vertical = AxisTaps(inputSize: crop.height, outputSize: outputHeight)
        let rounding = 1 << (precisionBits - 1)
        LabeledImages.resize(&scratch, to: layout.channels * crop.height * outputWidth)
        var sums = [Int](repeating: 0, count: outputWidth)
        scratch.withUnsafeMutableBufferPointer { temporary in
            horizontal.weights.withUnsafeBufferPointer { weights in
                // Horizontal pass: (C, cropHeight, outputWidth), planar.
                for c in 0..<layout.channels {
                    for y in 0..<crop.height {
                        let rowStart = c * layout.channelStride + (crop.top + y) * layout.rowStride + crop.left * layout.columnStride
                        let outRow = (c * crop.height + y) * outputWidth
                        for x in 0..<outputWidth {
                            var sum = rounding
                            let base = x &* horizontal.kernelSize
                            var at = rowStart &+ horizontal.first[x] &* layout.columnStride
                            for k in 0..<horizontal.count[x] {
                                sum &+= Int(source[at]) &* weights[base &+ k]
                                at &+= layout.columnStride
                            }
                            temporary[outRow &+ x] = clip(sum)
                        }
                    }
                }
            }
            // Vertical pass, a whole output row at a time: (C, outputHeight, outputWidth).
            sums.withUnsafeMutableBufferPointer { sums in
                for c in 0..<layout.channels {
                    for y in 0..<outputHeight {
                        for x in 0..<outputWidth { sums[x] = rounding }
                        for k in 0..<vertical.count[y] {
                            let weight = vertical.weights[y * vertical.kernelSize + k]
                            let inRow = (c * crop.height + vertical.first[y] + k) * outputWidth
                            for x in 0..<outputWidth { sums[x] &+= Int(temporary[inRow &+ x]) &* weight }
                        }
                        let outRow = (c * outputHeight + y) * outputWidth
                        for x in 0..<outputWidth { destination[outRow &+ x] = clip(sums[x]) }
                    }
                }
            }
        }
    }

    /// Pillow's `clip8`: the fixed-point sum shifted back to a byte, clamped to 0…255.
    @inline(__always)
    static func clip(_ sum: Int) -> UInt8 {
        UInt8(clamping: sum >> precisionBits)
    }

    /// Resizes a whole image held in an array (a convenience for tests and one-off use).
    public static func resize(
        _ source: [UInt8], layout: Layout, outputHeight: Int, outputWidth: Int
    ) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: layout.channels * outputHeight * outputWidth)
        var scratch: [UInt8] = []
        source.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                resize(
                    input, layout: layout, crop: CropRectangle(top: 0, left: 0, height: layout.height, width: layout.width),
                    outputHeight: outputHeight, outputWidth: outputWidth, into: out, scratch: &scratch)
            }
        }
        return output
    }
}
