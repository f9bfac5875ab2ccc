/// Colour maps for weights.
public enum ColorMap {
    /// Blue–white–red (matplotlib's `bwr`): −1 → blue (0, 0, 255), 0 → white, +1 → red
    /// (255, 0, 0), linear in between; values beyond ±1 saturate and NaN is black, so broken
    /// weights stand out.
    public static func diverging(_ t: Float) -> RGB {
        guard !t.isNaN else { return .black }
        let v = min(max(t, -1), 1)
        return v < 0 ? RGB(unit: 1 + v, 1 + v, 1) : RGB(unit: 1, 1 - v, 1 - v)
    }

    /// A colour filter's pixel: each channel mapped to 0.5 + 0.5·t, so zero is mid grey (128)
    /// and ±1 (the filter's largest |w|) reach 0 or 255.
    public static func centred(_ red: Float, _ green: Float, _ blue: Float) -> RGB {
        RGB(unit: 0.5 + 0.5 * red, 0.5 + 0.5 * green, 0.5 + 0.5 * blue)
    }
}
