/// An 8-bit colour: red, green, blue.
public struct RGB: Sendable, Equatable, Hashable {
    /// Channel values, 0…255.
    public var red: UInt8, green: UInt8, blue: UInt8

    /// A colour from its three channels.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    /// A grey level.
    public init(gray: UInt8) { self.init(gray, gray, gray) }

    /// Rounds channels in [0, 1] (clamped; NaN reads as 0.5) to 8 bits.
    public init(unit red: Float, _ green: Float, _ blue: Float) {
        func byte(_ x: Float) -> UInt8 {
            guard x.isFinite else { return x.isNaN ? 128 : (x > 0 ? 255 : 0) }
            return UInt8((min(max(x, 0), 1) * 255).rounded())
        }
        self.init(byte(red), byte(green), byte(blue))
    }

    /// Luma (ITU-R BT.601), what a grey image stores for this colour.
    public var gray: UInt8 {
        let weighted: Int = 299 * Int(red) + 587 * Int(green) + 114 * Int(blue)
        return UInt8((weighted + 500) / 1000)
    }

    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
    /// The colour of separators between mosaic tiles and of plot frames.
    public static let separator = RGB(gray: 40)
    /// Plot grid lines.
    public static let lightGray = RGB(gray: 225)
}

/// A raster image of 8-bit samples, rows top to bottom, either grey (1 sample per pixel) or RGB
/// (3, interleaved) — the two PNG colour types `PNGEncoder` writes.
public struct RasterImage: Sendable, Equatable {
    /// Samples per pixel.
    public enum ColorType: Int, Sendable {
        /// One grey sample (PNG colour type 0).
        case gray = 1
        /// Red, green, blue (PNG colour type 2).
        case rgb = 3
    }

    /// Size in pixels.
    public let width: Int, height: Int
    /// Grey or RGB.
    public let colorType: ColorType
    /// `width · height · colorType.rawValue` samples, row-major.
    public private(set) var samples: [UInt8]

    /// An image filled with `background`.
    public init(width: Int, height: Int, colorType: ColorType = .rgb, background: RGB = .white) {
        precondition(width > 0 && height > 0, "image size must be positive, got \(width)×\(height)")
        (self.width, self.height, self.colorType) = (width, height, colorType)
        switch colorType {
        case .gray: samples = [UInt8](repeating: background.gray, count: width * height)
        case .rgb:
            samples = [UInt8](repeating: 0, count: width * height * 3)
            for i in 0..<(width * height) {
                (samples[3 * i], samples[3 * i + 1], samples[3 * i + 2]) = (background.red, background.green, background.blue)
            }
        }
    }

    /// Samples per pixel.
    public var channels: Int { colorType.rawValue }

    /// The colour at (x, y); grey pixels read as equal channels.
    public func pixel(x: Int, y: Int) -> RGB {
        precondition(contains(x: x, y: y), "pixel (\(x), \(y)) outside \(width)×\(height)")
        let i = (y * width + x) * channels
        return colorType == .gray ? RGB(gray: samples[i]) : RGB(samples[i], samples[i + 1], samples[i + 2])
    }

    /// Whether (x, y) is inside the image.
    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Sets (x, y); points outside the image are ignored, so drawing code may run off the edges.
    public mutating func set(x: Int, y: Int, _ color: RGB) {
        guard contains(x: x, y: y) else { return }
        let i = (y * width + x) * channels
        if colorType == .gray {
            samples[i] = color.gray
        } else {
            (samples[i], samples[i + 1], samples[i + 2]) = (color.red, color.green, color.blue)
        }
    }

    /// Fills the rectangle with top-left (x, y), clipped to the image.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: RGB) {
        let (left, right, top, bottom) = (max(0, x), min(width, x + w), max(0, y), min(height, y + h))
        guard left < right, top < bottom else { return }
        let (channels, imageWidth, gray) = (self.channels, width, color.gray)
        samples.withUnsafeMutableBufferPointer { buffer in
            for row in top..<bottom {
                for column in left..<right {
                    let i = (row * imageWidth + column) * channels
                    if channels == 1 {
                        buffer[i] = gray
                    } else {
                        (buffer[i], buffer[i + 1], buffer[i + 2]) = (color.red, color.green, color.blue)
                    }
                }
            }
        }
    }

    /// Copies `image` with its top-left corner at (x, y), clipped.
    public mutating func draw(_ image: RasterImage, x: Int, y: Int) {
        for row in 0..<image.height {
            for column in 0..<image.width { set(x: x + column, y: y + row, image.pixel(x: column, y: row)) }
        }
    }

    /// A straight line from (x0, y0) to (x1, y1) (Bresenham), `thickness` pixels wide.
    public mutating func line(from x0: Int, _ y0: Int, to x1: Int, _ y1: Int, _ color: RGB, thickness: Int = 1) {
        var (x, y) = (x0, y0)
        let (dx, dy) = (abs(x1 - x0), -abs(y1 - y0))
        let (sx, sy) = (x0 < x1 ? 1 : -1, y0 < y1 ? 1 : -1)
        var error = dx + dy
        let offset = (thickness - 1) / 2
        while true {
            fill(x: x - offset, y: y - offset, width: thickness, height: thickness, color)
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }
}
