import HebbData
import HebbTestSupport
import XCTest

/// Pillow's bilinear resize, checked against values worked out by hand from Pillow's
/// `precompute_coeffs` (triangle filter, support scaled by the shrink factor, 22-bit weights).
final class ImageResamplerTests: XCTestCase {
    private func row(_ values: [UInt8], to width: Int) -> [UInt8] {
        ImageResampler.resize(
            values, layout: .planar(channels: 1, height: 1, width: values.count), outputHeight: 1, outputWidth: width)
    }

    func testDownscaleByTwo_averagesTheFootprintWithTriangleWeights() {
        // Output 0: centre 1.0, taps x = 0, 1, 2 with weights 0.75, 0.75, 0.25 (over 1.75):
        // (0·0.75 + 100·0.75 + 200·0.25) / 1.75 = 71.4 → 71. Output 1: (100·0.25 + 200·0.75 + 255·0.75) / 1.75 = 209.3 → 209.
        XCTAssertEqual(row([0, 100, 200, 255], to: 2), [71, 209])
    }

    func testUpscaleByTwo_interpolatesWithHalfPixelCentres() {
        // Centres 0.25, 0.75, 1.25, 1.75: the edges clamp to one tap, the middle mixes 3:1.
        XCTAssertEqual(row([0, 200], to: 4), [0, 50, 150, 200])
    }

    func testSameSize_isIdentity_andFlatImagesStayFlat() {
        let image = DatasetWriters.colorPixels(count: 1, channels: 3, height: 5, width: 7)
        let layout = ImageResampler.Layout.planar(channels: 3, height: 5, width: 7)
        XCTAssertEqual(ImageResampler.resize(image, layout: layout, outputHeight: 5, outputWidth: 7), image)
        let flat = [UInt8](repeating: 77, count: 3 * 13 * 17)
        let resized = ImageResampler.resize(
            flat, layout: .planar(channels: 3, height: 13, width: 17), outputHeight: 6, outputWidth: 9)
        XCTAssertEqual(resized, [UInt8](repeating: 77, count: 3 * 6 * 9))
    }

    func testInterleavedSource_givesThePlanarResultOfTheSameImage() {
        let planar = DatasetWriters.colorPixels(count: 1, channels: 3, height: 6, width: 10, seed: 3)
        var interleaved = [UInt8](repeating: 0, count: planar.count)
        for c in 0..<3 {
            for j in 0..<60 { interleaved[j * 3 + c] = planar[c * 60 + j] }
        }
        let fromPlanar = ImageResampler.resize(
            planar, layout: .planar(channels: 3, height: 6, width: 10), outputHeight: 4, outputWidth: 3)
        let fromInterleaved = ImageResampler.resize(
            interleaved, layout: .interleaved(channels: 3, height: 6, width: 10), outputHeight: 4, outputWidth: 3)
        XCTAssertEqual(fromInterleaved, fromPlanar)
    }

    func testCrop_isResizedAsAWholeImage() {
        let image = DatasetWriters.colorPixels(count: 1, channels: 1, height: 8, width: 8, seed: 9)
        var cropped: [UInt8] = []
        for y in 2..<7 { cropped += image[(y * 8 + 1)..<(y * 8 + 5)] }
        let expected = ImageResampler.resize(
            cropped, layout: .planar(channels: 1, height: 5, width: 4), outputHeight: 3, outputWidth: 3)
        var output = [UInt8](repeating: 0, count: 9)
        var scratch: [UInt8] = []
        image.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                ImageResampler.resize(
                    source, layout: .planar(channels: 1, height: 8, width: 8),
                    crop: CropRectangle(top: 2, left: 1, height: 5, width: 4), outputHeight: 3, outputWidth: 3,
                    into: destination, scratch: &scratch)
            }
        }
        XCTAssertEqual(output, expected)
    }

    /// Golden values from Pillow 13.0 (`Image.resize(..., BILINEAR)`), made by:
    /// ```python
    /// px = bytes((101*c + 11*(y*13+x) + 5) % 256 for y in range(11) for x in range(13) for c in range(3))
    /// img = Image.frombytes("RGB", (13, 11), px)
    /// img.resize((5, 4), Image.BILINEAR); img.crop((3, 2, 10, 8)).resize((4, 3), Image.BILINEAR)
    /// ```
    /// listed planar. (Decoding and resizing real-looking JPEGs of 64×48 to 500×375 pixels,
    /// 4:2:0, progressive, grayscale and CMYK, also matched Pillow byte for byte when this was
    /// written; those files are not committed.)
    func testMatchesPillowBilinear() {
        let image = DatasetWriters.colorPixels(count: 1, channels: 3, height: 11, width: 13, seed: 5)
        let layout = ImageResampler.Layout.planar(channels: 3, height: 11, width: 13)
        XCTAssertEqual(
            ImageResampler.resize(image, layout: layout, outputHeight: 4, outputWidth: 5),
            [
                96, 121, 148, 138, 87, 134, 151, 138, 107, 118, 148, 117, 108, 133, 147, 105, 114, 142, 156, 111,
                104, 99, 128, 155, 138, 112, 136, 156, 136, 98, 149, 146, 111, 108, 127, 114, 94, 110, 139, 164,
                156, 129, 102, 125, 143, 106, 106, 134, 153, 122, 120, 143, 147, 116, 108, 157, 137, 104, 117, 142,
            ])
        var output = [UInt8](repeating: 0, count: 3 * 3 * 4)
        var scratch: [UInt8] = []
        image.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                ImageResampler.resize(
                    source, layout: layout, crop: CropRectangle(top: 2, left: 3, height: 6, width: 7), outputHeight: 3,
                    outputWidth: 4, into: destination, scratch: &scratch)
            }
        }
        XCTAssertEqual(
            output,
            [
                140, 157, 155, 89, 171, 116, 110, 103, 100, 89, 102, 119, 131, 148, 168, 166, 149, 157, 154, 120, 166,
                152, 93, 110, 86, 103, 123, 140, 122, 139, 159, 176, 157, 174, 116, 102,
            ])
    }
}
