/// Byte-level geometric transforms of one planar (C, H, W) image, the building blocks of
/// `BatchAugmentation`. Each writes a whole (C, H, W) image of the same size to `destination`.
public enum ImageTransforms {
    /// Index `i` of a reflect-padded axis of length `n` (no edge repeat: −1 → 1, n → n−2), as
    /// torch's `reflect` padding; repeated reflection keeps any padding in range.
    @inline(__always)
    public static func reflect(_ i: Int, _ n: Int) -> Int {
        guard n > 1 else { return 0 }
        let period = 2 * (n - 1)
        var k = i % period
        if k < 0 { k += period }
        return k < n ? k : period - k
    }

    /// `RandomCrop` with reflect padding then an optional horizontal flip, for given draws:
    /// output (c, y, x) = padded (c, y + top, x′ + left) with x′ = W−1−x when `flip`, where the
    /// padded image is the source with `padding` reflected pixels on every side.
    public static func cropAndFlip(
        _ source: UnsafeBufferPointer<UInt8>, channels: Int, height: Int, width: Int, padding: Int, top: Int,
        left: Int, flip: Bool, into destination: UnsafeMutableBufferPointer<UInt8>
    ) {
        let plane = height * width
        precondition(source.count >= channels * plane && destination.count >= channels * plane, "buffers too small")
        for c in 0..<channels {
            for y in 0..<height {
                let from = c * plane + reflect(y + top - padding, height) * width
                let to = c * plane + y * width
                for x in 0..<width {
                    destination[to + x] = source[from + reflect((flip ? width - 1 - x : x) + left - padding, width)]
                }
            }
        }
    }

    /// `RandomResizedCrop` for a given rectangle (the crop resized back to H×W with Pillow's
    /// bilinear filter) then an optional horizontal flip. `scratch` is reused between calls.
    public static func resizedCropAndFlip(
        _ source: UnsafeBufferPointer<UInt8>, channels: Int, height: Int, width: Int, crop: CropRectangle,
        flip: Bool, into destination: UnsafeMutableBufferPointer<UInt8>, scratch: inout [UInt8]
    ) {
        ImageResampler.resize(
            source, layout: .planar(channels: channels, height: height, width: width), crop: crop,
            outputHeight: height, outputWidth: width, into: destination, scratch: &scratch)
        guard flip else { return }
        for row in 0..<(channels * height) {
            var (a, b) = (row * width, row * width + width - 1)
            while a < b {
                destination.swapAt(a, b)
                a += 1
                b -= 1
            }
        }
    }

    /// `cropAndFlip` on an array (a convenience for tests and inspection).
    public static func cropAndFlip(
        _ image: [UInt8], channels: Int, height: Int, width: Int, padding: Int, top: Int, left: Int, flip: Bool
    ) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: image.count)
        image.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                cropAndFlip(
                    source, channels: channels, height: height, width: width, padding: padding, top: top, left: left,
                    flip: flip, into: destination)
            }
        }
        return output
    }
}
