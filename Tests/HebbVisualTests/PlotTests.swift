import XCTest

@testable import HebbVisual

final class PlotTests: XCTestCase {
    func testAxisTicks_niceSteps() {
        let accuracy = AxisTicks(minimum: 11.3, maximum: 97.8, count: 4)
        XCTAssertEqual(accuracy.step, 20)
        XCTAssertEqual(accuracy.values, [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(accuracy.label(40), "40")
        let small = AxisTicks(minimum: 0.012, maximum: 0.0355, count: 4)
        XCTAssertEqual(small.step, 0.005, accuracy: 1e-12)
        XCTAssertEqual(small.label(0.025), "0.025")
        XCTAssertEqual(AxisTicks(minimum: 0, maximum: 0.0004).label(0.0002), "2.0E-04")
        let epochs = AxisTicks(minimum: 1, maximum: 3, integral: true)
        XCTAssertEqual(epochs.step, 1)
        XCTAssertEqual(epochs.values, [1, 2, 3])
        let flat = AxisTicks(minimum: 5, maximum: 5)
        XCTAssertLessThan(flat.lower, 5)
        XCTAssertGreaterThan(flat.upper, 5)
    }

    func testFont_glyphsAndWidths() {
        XCTAssertEqual(BitmapFont.width(of: "R1"), 11)
        XCTAssertEqual(BitmapFont.width(of: "AB", scale: 2), 22)
        XCTAssertEqual(BitmapFont.glyph("e"), BitmapFont.glyph("E"), "lower case drawn upper case")
        XCTAssertEqual(BitmapFont.glyph("@"), BitmapFont.unknown)
        for character in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-%" {
            let rows = BitmapFont.glyph(character)
            XCTAssertEqual(rows.count, BitmapFont.glyphHeight, "\(character)")
            XCTAssertTrue(rows.allSatisfy { $0 < 32 }, "\(character) wider than 5 pixels")
            XCTAssertTrue(rows.contains { $0 != 0 }, "\(character) is blank")
        }
        var image = RasterImage(width: 6, height: 7)
        BitmapFont.draw("1", into: &image, x: 0, y: 0)
        // "1" is 00100 in its first row and 01110 in its last.
        XCTAssertEqual((0..<5).map { image.pixel(x: $0, y: 0) == .black }, [false, false, true, false, false])
        XCTAssertEqual((0..<5).map { image.pixel(x: $0, y: 6) == .black }, [false, true, true, true, false])
    }

    func testLinePlot_drawsSeriesInsideTheFrame_inTheirColours() {
        let red = RGB(214, 39, 40), blue = RGB(31, 119, 180)
        let plot = LinePlot(title: "ACCURACY %", series: [
            PlotSeries(name: "TRAIN", color: blue, points: [PlotPoint(x: 1, y: 10), PlotPoint(x: 2, y: 50), PlotPoint(x: 3, y: 90)]),
            PlotSeries(name: "TEST", color: red, points: [PlotPoint(x: 1, y: 20), PlotPoint(x: 3, y: .nan)]),
        ])
        let image = plot.render(width: 400, height: 240)
        XCTAssertEqual([image.width, image.height], [400, 240])
        let (left, top, right, bottom) = plot.frame(width: 400, height: 240)
        XCTAssertEqual(image.pixel(x: left, y: (top + bottom) / 2), .separator, "frame")
        // y axis 0…100: the train series passes the plot centre (x = 2, y = 50).
        let (cx, cy) = ((left + right) / 2, (top + bottom) / 2)
        XCTAssertEqual(image.pixel(x: cx, y: cy), blue)
        var colours: Set<RGB> = []
        for y in top...bottom { for x in left...right { colours.insert(image.pixel(x: x, y: y)) } }
        XCTAssertTrue(colours.contains(red), "a single finite point still gets a marker")
        var outside = 0
        for y in 0..<240 { for x in 0..<400 where (x < left - 2 || x > right + 2 || y < top - 2 || y > bottom + 2) && image.pixel(x: x, y: y) == blue { outside += 1 } }
        XCTAssertEqual(outside, 36, "only the legend swatch (12×3) is blue outside the frame")
    }

    func testLinePlot_withoutData_saysSo() {
        let image = LinePlot(title: "LOSS", series: [PlotSeries(name: "TRAIN", color: .black, points: [])]).render()
        XCTAssertEqual([image.width, image.height], [480, 300])
        var grey = 0
        for y in 0..<300 { for x in 0..<480 where image.pixel(x: x, y: y) == RGB(gray: 120) { grey += 1 } }
        XCTAssertGreaterThan(grey, 100, "NO DATA drawn")
    }

    func testSheets_placeEveryPicture() {
        let a = RasterImage(width: 10, height: 5, background: .black), b = RasterImage(width: 4, height: 8, background: RGB(1, 2, 3))
        let grid = PictureSheet.grid([a, b, a], columns: 2, gap: 2)
        XCTAssertEqual([grid.width, grid.height], [2 * 10 + 3 * 2, 2 * 8 + 3 * 2])
        XCTAssertEqual(grid.pixel(x: 2, y: 2), .black)
        XCTAssertEqual(grid.pixel(x: 14, y: 9), RGB(1, 2, 3))
        let column = PictureSheet.column([a, b], title: "HI", gap: 2)
        XCTAssertEqual(column.height, 5 + 8 + 3 * 2 + 16)
        XCTAssertEqual(column.width, BitmapFont.width(of: "HI", scale: 2) + 4, "as wide as the title")
        XCTAssertEqual(column.pixel(x: (column.width - 10) / 2, y: 18), .black, "centred under the title")
        XCTAssertEqual(column.pixel(x: (column.width - 10) / 2 - 1, y: 18), .white)
    }
}
