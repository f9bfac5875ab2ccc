import Dispatch
import HebbText

extension ImageFolder {
    /// Fraction of the machine's memory decoded images may take before loading refuses.
    public static let memoryFraction = 0.8

    /// Decodes the images at `rows` (in that order) and resizes each to `height`×`width` with
    /// Pillow's bilinear filter, aspect ratio not kept (torchvision `Resize((W, H))`, spec §2.3).
    ///
    /// Images are decoded in parallel on all cores; the result does not depend on the number of
    /// threads. The first failing row (in `rows` order) is the error thrown.
    public func decode(
        rows: [Int], height: Int, width: Int, classCount: Int, normalization: PixelNormalization
    ) throws -> LabeledImages {
        let imageSize = 3 * height * width
        var pixels = [UInt8](repeating: 0, count: rows.count * imageSize)
        var failures = [DataError?](repeating: nil, count: rows.count)
        pixels.withUnsafeMutableBufferPointer { destination in
            failures.withUnsafeMutableBufferPointer { slots in
                guard let pixelBase = destination.baseAddress, let slotBase = slots.baseAddress else { return }
                // Iteration i writes only pixels[i·imageSize ..< (i+1)·imageSize] and failures[i].
                let output = DisjointWrites(base: pixelBase), errors = DisjointWrites(base: slotBase)
                DispatchQueue.concurrentPerform(iterations: rows.count) { i in
                    var scratch: [UInt8] = []
                    do {
                        let image = try JPEGDecoder.decode(fileAt: files[rows[i]])
                        let target = UnsafeMutableBufferPointer(start: output.base + i * imageSize, count: imageSize)
                        image.pixels.withUnsafeBufferPointer { source in
                            ImageResampler.resize(
                                source, layout: image.layout,
                                crop: CropRectangle(top: 0, left: 0, height: image.height, width: image.width),
                                outputHeight: height, outputWidth: width, into: target, scratch: &scratch)
                        }
                    } catch let error as DataError {
                        errors.base[i] = error
                    } catch {
                        errors.base[i] = .corruptImage(path: files[rows[i]].path, reason: "\(error)")
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        return LabeledImages(
            unchecked: pixels, labels: rows.map { labels[$0] }, channels: 3, height: height, width: width,
            classCount: classCount, normalization: normalization)
    }

    /// Throws `invalidConfig` when `imageCount` decoded images of `imageSize` bytes would take
    /// more than `memoryFraction` of `physicalMemory`, before anything is decoded.
    public static func checkMemory(
        imageCount: Int, imageSize: Int, key: String,
        physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory
    ) throws {
        let (bytes, overflow) = imageCount.multipliedReportingOverflow(by: imageSize)
        let limit = Double(physicalMemory) * memoryFraction
        guard overflow || Double(bytes) > limit else { return }
        let gigabytes = { (value: Double) in cFormat("%.1f GB", value / 1e9) }
        throw DataError.invalidConfig(
            key: key,
            reason: "\(imageCount) decoded images of \(imageSize) bytes need \(overflow ? "more than 2^63 bytes" : gigabytes(Double(bytes))), "
                + "more than \(Int(memoryFraction * 100)) % of this machine's \(gigabytes(Double(physicalMemory))); "
                + "use a key with fewer samples or smaller images (e.g. ImageNet_1160)")
    }
}

/// A buffer that concurrent iterations write at disjoint offsets only, so sharing it is safe.
private struct DisjointWrites<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
