/// Arranging pictures on a sheet.
public enum PictureSheet {
    /// `images` in rows of `columns`, each cell as large as the largest image, `gap` pixels apart.
    public static func grid(_ images: [RasterImage], columns: Int, gap: Int = 8, background: RGB = .white) -> RasterImage {
        precondition(!images.isEmpty && columns > 0, "a sheet needs pictures")
        let cellWidth = images.map(\.width).max() ?? 1, cellHeight = images.map(\.height).max() ?? 1
        let rows = (images.count + columns - 1) / columns
        let used = min(columns, images.count)
        var sheet = RasterImage(width: used * cellWidth + (used + 1) * gap, height: rows * cellHeight + (rows + 1) * gap, background: background)
        for (index, image) in images.enumerated() {
            sheet.draw(image, x: gap + (index % columns) * (cellWidth + gap), y: gap + (index / columns) * (cellHeight + gap))
        }
        return sheet
    }

    /// `images` one below the other, centred, under an optional `title` line.
    public static func column(_ images: [RasterImage], title: String? = nil, gap: Int = 8, background: RGB = .white) -> RasterImage {
        let titleHeight = title == nil ? 0 : 14 + gap
        let width = max(images.map(\.width).max() ?? 1, BitmapFont.width(of: title ?? "", scale: 2)) + 2 * gap
        let height = images.map(\.height).reduce(0, +) + gap * (images.count + 1) + titleHeight
        var sheet = RasterImage(width: width, height: height, background: background)
        if let title { BitmapFont.draw(title, into: &sheet, x: gap, y: gap, scale: 2) }
        var y = gap + titleHeight
        for image in images {
            sheet.draw(image, x: (width - image.width) / 2, y: y)
            y += image.height + gap
        }
        return sheet
    }
}
