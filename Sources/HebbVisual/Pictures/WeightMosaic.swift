/// The picture of one unit's or filter's incoming weights: `channels` slices of height × width.
/// `channels · height · width` may exceed the fan-in (a fully connected unit reshaped to a
/// near-square rectangle); the extra pixels are drawn as padding.
public struct TileShape: Sendable, Equatable {
    /// Input channels, rows and columns of one tile.
    public var channels: Int, height: Int, width: Int

    /// A tile shape.
    public init(channels: Int, height: Int, width: Int) {
        precondition(channels > 0 && height > 0 && width > 0, "tile shape must be positive, got \(channels)×\(height)×\(width)")
        (self.channels, self.height, self.width) = (channels, height, width)
    }

    /// Values one tile holds.
    public var count: Int { channels * height * width }

    /// A fan-in with no image shape as a near-square grey rectangle: the exact factorisation
    /// h·w = n with w ≥ h closest to square when its sides are within a factor of 2, otherwise
    /// ⌈√n⌉ columns and as many rows as needed (the remainder padded).
    public static func nearSquare(features n: Int) -> TileShape {
        precondition(n > 0, "fan-in must be positive")
        let root = Int(Double(n).squareRoot().rounded(.up))
        for width in root...(2 * root) where n % width == 0 && 2 * (n / width) >= width {
            return TileShape(channels: 1, height: n / width, width: width)
        }
        return TileShape(channels: 1, height: (n + root - 1) / root, width: root)
    }
}

/// Where tiles go in a mosaic: a near-square grid (⌈√n⌉ columns), 1-pixel separators between
/// tiles and around the border, every tile pixel `scale` × `scale` screen pixels.
public struct MosaicLayout: Sendable, Equatable {
    /// Tiles drawn, columns and rows of the grid.
    public let tiles: Int, columns: Int, rows: Int
    /// Integer upscaling of weight pixels: tiles smaller than `targetSide` pixels are enlarged.
    public let scale: Int
    /// Channel slices per tile row and column (1 × 1 for grey and colour tiles).
    public let sliceColumns: Int, sliceRows: Int
    /// Tile size on screen, pixels.
    public let tileWidth: Int, tileHeight: Int
    /// Whether a tile is one RGB picture (3 channels) rather than diverging slices.
    public let isColour: Bool

    /// Side that small tiles are scaled up to (at least), in pixels.
    public static let targetSide = 24

    /// The layout of `tiles` tiles of `shape`.
    public init(tiles: Int, shape: TileShape) {
        precondition(tiles > 0, "a mosaic needs at least one tile")
        self.tiles = tiles
        columns = Int(Double(tiles).squareRoot().rounded(.up))
        rows = (tiles + columns - 1) / columns
        isColour = shape.channels == 3
        let slices = isColour ? 1 : shape.channels
        sliceColumns = Int(Double(slices).squareRoot().rounded(.up))
        sliceRows = (slices + sliceColumns - 1) / sliceColumns
        // Slices of one tile are 1 pixel apart; the gap is not scaled.
        let unscaled = max(sliceColumns * shape.width, sliceRows * shape.height)
        scale = max(1, MosaicLayout.targetSide / unscaled)
        tileWidth = sliceColumns * shape.width * scale + (sliceColumns - 1)
        tileHeight = sliceRows * shape.height * scale + (sliceRows - 1)
    }

    /// Image size in pixels.
    public var width: Int { columns * (tileWidth + 1) + 1 }
    public var height: Int { rows * (tileHeight + 1) + 1 }

    /// Top-left pixel of tile `index` (row-major).
    public func origin(ofTile index: Int) -> (x: Int, y: Int) {
        (1 + (index % columns) * (tileWidth + 1), 1 + (index / columns) * (tileHeight + 1))
    }
}

/// Mosaics of weights, one tile per unit or filter, as in Krotov & Hopfield's `draw_weights` and
/// pytorch-hebbian's `WeightsImageHandler` (peers spec §1.11, §2.3).
///
/// Each tile is scaled by its own largest |w| (per-filter symmetric scaling), so weak and strong
/// units are equally visible. Grey tiles (1 channel, or each slice of a filter with a number of
/// input channels other than 3) use the blue–white–red map with zero white. Tiles of 3 input
/// channels are shown in colour: channel c of every pixel maps to 0.5 + 0.5·w/max|w|, so zero is
/// mid grey (a symmetric per-filter stretch, which keeps the sign visible, rather than
/// pytorch-hebbian's min–max normalisation, which moves zero from filter to filter).
public enum WeightMosaic {
    /// Padding pixels (fan-in smaller than the tile) and the gaps between channel slices.
    public static let padding = RGB(gray: 200)

    /// The mosaic of the first `maximumTiles` of `filters` rows of `weights` (row-major,
    /// `weights.count / filters` values per filter, laid out as `shape`, channel-major).
    public static func render(weights: [Float], filters: Int, shape: TileShape, maximumTiles: Int = 4096) -> RasterImage {
        precondition(filters > 0 && weights.count % filters == 0, "\(weights.count) weights do not split into \(filters) filters")
        let fanIn = weights.count / filters
        precondition(fanIn <= shape.count, "fan-in \(fanIn) does not fit the tile \(shape)")
        let layout = MosaicLayout(tiles: min(filters, maximumTiles), shape: shape)
        var image = RasterImage(width: layout.width, height: layout.height, background: .separator)
        let area = shape.height * shape.width
        for tile in 0..<layout.tiles {
            let values = weights[(tile * fanIn)..<((tile + 1) * fanIn)]
            let largest = values.reduce(Float(0)) { $1.isFinite ? max($0, abs($1)) : $0 }
            let factor = largest > 0 ? 1 / largest : 0
            let (left, top) = layout.origin(ofTile: tile)
            image.fill(x: left, y: top, width: layout.tileWidth, height: layout.tileHeight, padding)
            func value(_ index: Int) -> Float? { index < fanIn ? values[values.startIndex + index] * factor : nil }
            func paint(_ color: RGB, sliceX: Int, sliceY: Int, x: Int, y: Int) {
                let px = left + sliceX * (shape.width * layout.scale + 1) + x * layout.scale
                let py = top + sliceY * (shape.height * layout.scale + 1) + y * layout.scale
                image.fill(x: px, y: py, width: layout.scale, height: layout.scale, color)
            }
            for y in 0..<shape.height {
                for x in 0..<shape.width {
                    let pixel = y * shape.width + x
                    if layout.isColour {
                        guard let r = value(pixel), let g = value(area + pixel), let b = value(2 * area + pixel) else { continue }
                        paint(ColorMap.centred(r, g, b), sliceX: 0, sliceY: 0, x: x, y: y)
                        continue
                    }
                    for channel in 0..<shape.channels {
                        guard let v = value(channel * area + pixel) else { continue }
                        paint(ColorMap.diverging(v), sliceX: channel % layout.sliceColumns, sliceY: channel / layout.sliceColumns, x: x, y: y)
                    }
                }
            }
        }
        return image
    }
}
