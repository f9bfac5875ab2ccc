/// One point of a plotted series.
public struct PlotPoint: Sendable, Equatable {
    public var x: Double, y: Double
    public init(x: Double, y: Double) { (self.x, self.y) = (x, y) }
}

/// A named, coloured line. Series with an empty name are left out of the legend (a second
/// piece of a line that is broken, e.g. at a phase change).
public struct PlotSeries: Sendable, Equatable {
    public var name: String
    public var color: RGB
    /// Points in drawing order; non-finite ones are skipped.
    public var points: [PlotPoint]

    public init(name: String, color: RGB, points: [PlotPoint]) {
        (self.name, self.color, self.points) = (name, color, points)
    }
}

/// A line chart rasterised by our own code: title, legend, frame, grid, ticks labelled with
/// `BitmapFont`, lines two pixels wide with square markers when there are few points, and
/// dashed vertical markers (phase boundaries).
public struct LinePlot: Sendable, Equatable {
    public var title: String
    public var xLabel: String
    public var series: [PlotSeries]
    /// x positions of dashed vertical lines.
    public var verticalMarkers: [Double]
    /// The x range to show (default: the points' range), so plots of one run line up.
    public var xDomain: ClosedRange<Double>?

    /// Distinct line colours: blue, red, green, orange, purple, teal.
    public static let palette = [RGB(31, 119, 180), RGB(214, 39, 40), RGB(44, 160, 44), RGB(255, 127, 14), RGB(148, 103, 189), RGB(23, 190, 207)]
    /// Markers are drawn on series with at most this many points.
    public static let markerLimit = 60

    public init(title: String, xLabel: String = "EPOCH", series: [PlotSeries], verticalMarkers: [Double] = [], xDomain: ClosedRange<Double>? = nil) {
        (self.title, self.xLabel, self.series, self.verticalMarkers, self.xDomain) = (title, xLabel, series, verticalMarkers, xDomain)
    }

    /// The finite points of every series.
    var finitePoints: [PlotPoint] { series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite } }

    /// Tick sets of both axes (0…1 when there is nothing to plot).
    public var axes: (x: AxisTicks, y: AxisTicks) {
        let points = finitePoints
        let xs = points.map(\.x), ys = points.map(\.y)
        let x = xDomain.map { AxisTicks(minimum: $0.lowerBound, maximum: $0.upperBound, integral: true) }
            ?? AxisTicks(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1, integral: true)
        return (x, AxisTicks(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1, count: 4))
    }

    /// The plot area inside the margins of a `width` × `height` picture: left, top, right, bottom
    /// pixel (inclusive).
    public func frame(width: Int, height: Int) -> (left: Int, top: Int, right: Int, bottom: Int) {
        let (_, yAxis) = axes
        let labelWidth = yAxis.values.map { BitmapFont.width(of: yAxis.label($0)) }.max() ?? 0
        return (labelWidth + 10, 34, width - 14, height - 30)
    }

    /// Renders the plot into a `width` × `height` RGB picture.
    public func render(width: Int = 480, height: Int = 300) -> RasterImage {
        var image = RasterImage(width: width, height: height)
        let (xAxis, yAxis) = axes
        let (left, top, right, bottom) = frame(width: width, height: height)
        let (plotWidth, plotHeight) = (Double(right - left), Double(bottom - top))
        func px(_ x: Double) -> Int { left + Int(((x - xAxis.lower) / (xAxis.upper - xAxis.lower) * plotWidth).rounded()) }
        func py(_ y: Double) -> Int { bottom - Int(((y - yAxis.lower) / (yAxis.upper - yAxis.lower) * plotHeight).rounded()) }

        BitmapFont.draw(title, into: &image, x: 8, y: 6, scale: 2)
        drawLegend(into: &image, right: width - 10, y: 10)
        for value in yAxis.values {
            let y = py(value)
            image.line(from: left, y, to: right, y, .lightGray)
            image.line(from: left - 4, y, to: left, y, .separator)
            let label = yAxis.label(value)
            BitmapFont.draw(label, into: &image, x: left - 6 - BitmapFont.width(of: label), y: y - 3)
        }
        let xTicks = xAxis.values
        let labelEvery = max(1, Int((Double(xTicks.count * 36) / plotWidth).rounded(.up)))  // keep labels apart
        for (index, value) in xTicks.enumerated() {
            let x = px(value)
            image.line(from: x, top, to: x, bottom, .lightGray)
            image.line(from: x, bottom, to: x, bottom + 4, .separator)
            guard index % labelEvery == 0 else { continue }
            let label = xAxis.label(value)
            BitmapFont.draw(label, into: &image, x: x - BitmapFont.width(of: label) / 2, y: bottom + 7)
        }
        BitmapFont.draw(xLabel, into: &image, x: (left + right - BitmapFont.width(of: xLabel)) / 2, y: bottom + 18)
        for marker in verticalMarkers where marker > xAxis.lower && marker < xAxis.upper {
            let x = px(marker)
            for y in stride(from: top, to: bottom, by: 6) { image.line(from: x, y, to: x, min(bottom, y + 2), RGB(gray: 150)) }
        }
        image.line(from: left, top, to: right, top, .separator)
        image.line(from: left, bottom, to: right, bottom, .separator)
        image.line(from: left, top, to: left, bottom, .separator)
        image.line(from: right, top, to: right, bottom, .separator)
        if finitePoints.isEmpty {
            let text = "NO DATA"
            BitmapFont.draw(text, into: &image, x: (left + right - BitmapFont.width(of: text, scale: 2)) / 2, y: (top + bottom) / 2 - 7, color: RGB(gray: 120), scale: 2)
        }
        for line in series {
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            for (a, b) in zip(points, points.dropFirst()) {
                image.line(from: px(a.x), py(a.y), to: px(b.x), py(b.y), line.color, thickness: 2)
            }
            if points.count <= LinePlot.markerLimit {
                for p in points { image.fill(x: px(p.x) - 2, y: py(p.y) - 2, width: 5, height: 5, line.color) }
            }
        }
        return image
    }

    /// Swatches and names right-aligned at `right`.
    private func drawLegend(into image: inout RasterImage, right: Int, y: Int) {
        var x = right
        for line in series.reversed() where !line.name.isEmpty {
            let name = line.name
            x -= BitmapFont.width(of: name)
            BitmapFont.draw(name, into: &image, x: x, y: y)
            x -= 16
            image.fill(x: x, y: y + 2, width: 12, height: 3, line.color)
            x -= 12
        }
    }
}
