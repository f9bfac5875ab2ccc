import XCTest

@testable import HebbVisual

final class WeightMosaicTests: XCTestCase {
    func testDivergingMap_zeroIsWhite_signsAreBlueAndRed() {
        XCTAssertEqual(ColorMap.diverging(0), .white)
        XCTAssertEqual(ColorMap.diverging(1), RGB(255, 0, 0))
        XCTAssertEqual(ColorMap.diverging(-1), RGB(0, 0, 255))
        XCTAssertEqual(ColorMap.diverging(0.5), RGB(255, 128, 128))
        XCTAssertEqual(ColorMap.diverging(-0.5), RGB(128, 128, 255))
        XCTAssertEqual(ColorMap.diverging(7), RGB(255, 0, 0), "saturates")
        XCTAssertEqual(ColorMap.diverging(.nan), .black)
        XCTAssertEqual(ColorMap.centred(0, 1, -1), RGB(128, 255, 0))
    }

    func testLayout_nearSquareGrid_separators_andUpscaling() {
        let small = MosaicLayout(tiles: 10, shape: TileShape(channels: 1, height: 5, width: 5))
        XCTAssertEqual([small.columns, small.rows, small.scale], [4, 3, 4])
        XCTAssertEqual([small.tileWidth, small.tileHeight], [20, 20])
        XCTAssertEqual([small.width, small.height], [4 * 21 + 1, 3 * 21 + 1])
        XCTAssertTrue(small.origin(ofTile: 5) == (22, 22))
        let mnist = MosaicLayout(tiles: 2000, shape: TileShape(channels: 1, height: 28, width: 28))
        XCTAssertEqual([mnist.columns, mnist.rows, mnist.scale], [45, 45, 1])
        let colour = MosaicLayout(tiles: 96, shape: TileShape(channels: 3, height: 5, width: 5))
        XCTAssertTrue(colour.isColour)
        XCTAssertEqual([colour.columns, colour.rows, colour.sliceColumns, colour.tileWidth], [10, 10, 1, 20])
        let deep = MosaicLayout(tiles: 4, shape: TileShape(channels: 6, height: 3, width: 3))
        XCTAssertEqual([deep.sliceColumns, deep.sliceRows, deep.scale], [3, 2, 2])
        XCTAssertEqual([deep.tileWidth, deep.tileHeight], [3 * 6 + 2, 2 * 6 + 1])
    }

    func testNearSquare_prefersExactFactorisations() {
        XCTAssertEqual(TileShape.nearSquare(features: 2000), TileShape(channels: 1, height: 40, width: 50))
        XCTAssertEqual(TileShape.nearSquare(features: 784), TileShape(channels: 1, height: 28, width: 28))
        XCTAssertEqual(TileShape.nearSquare(features: 7), TileShape(channels: 1, height: 3, width: 3), "a prime is padded")
    }

    func testRender_perFilterSymmetricScaling_andSeparators() {
        // Two 1×2 filters: (−1, 0.5) and (0.001, 0): each scaled by its own max |w|.
        let image = WeightMosaic.render(weights: [-1, 0.5, 0.001, 0], filters: 2, shape: TileShape(channels: 1, height: 1, width: 2))
        let layout = MosaicLayout(tiles: 2, shape: TileShape(channels: 1, height: 1, width: 2))
        XCTAssertEqual(layout.scale, 12)
        XCTAssertEqual([image.width, image.height], [layout.width, layout.height])
        let (x0, y0) = layout.origin(ofTile: 0)
        XCTAssertEqual(image.pixel(x: x0, y: y0), RGB(0, 0, 255))
        XCTAssertEqual(image.pixel(x: x0 + 12, y: y0 + 11), RGB(255, 128, 128))
        let (x1, y1) = layout.origin(ofTile: 1)
        XCTAssertEqual(image.pixel(x: x1 + 3, y: y1), RGB(255, 0, 0), "a tiny filter still reaches full red")
        XCTAssertEqual(image.pixel(x: x1 + 12, y: y1), .white, "zero is white")
        XCTAssertEqual(image.pixel(x: 0, y: 0), .separator)
        XCTAssertEqual(image.pixel(x: x1 - 1, y: y1), .separator, "1-pixel separator between tiles")
    }

    func testRender_colourFilters_centreOnMidGrey() {
        // One 3-channel 1×1 filter (r, g, b) = (0.5, −0.5, 0), scaled by 0.5.
        let image = WeightMosaic.render(weights: [0.5, -0.5, 0], filters: 1, shape: TileShape(channels: 3, height: 1, width: 1))
        XCTAssertEqual(image.pixel(x: 1, y: 1), RGB(255, 0, 128))
    }

    func testRender_paddedTile_andZeroFilter() {
        let image = WeightMosaic.render(weights: [0, 0, 0, 0, 0, 0, 0], filters: 1, shape: TileShape.nearSquare(features: 7))
        let layout = MosaicLayout(tiles: 1, shape: TileShape.nearSquare(features: 7))
        XCTAssertEqual(image.pixel(x: 1, y: 1), .white, "an all-zero filter is white, not NaN")
        XCTAssertEqual(image.pixel(x: 1 + 2 * layout.scale, y: 1 + 2 * layout.scale), WeightMosaic.padding)
    }

    func testRender_maximumTiles_limitsTheGrid() {
        let image = WeightMosaic.render(weights: [Float](repeating: 1, count: 50), filters: 50, shape: TileShape(channels: 1, height: 1, width: 1), maximumTiles: 4)
        XCTAssertEqual(image.width, MosaicLayout(tiles: 4, shape: TileShape(channels: 1, height: 1, width: 1)).width)
    }
}
