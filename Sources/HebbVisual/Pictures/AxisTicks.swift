import HebbText

/// "Nice" axis ticks (steps of 1, 2 or 5 × 10^k) and their labels.
public struct AxisTicks: Sendable, Equatable {
    /// The axis range, widened to whole steps, and the step between ticks.
    public let lower: Double, upper: Double, step: Double

    /// Ticks covering [minimum, maximum] with about `count` intervals; `integral` keeps the step
    /// a whole number (epochs). An empty range is widened around its value.
    public init(minimum: Double, maximum: Double, count: Int = 5, integral: Bool = false) {
        var (low, high) = (min(minimum, maximum), max(minimum, maximum))
        if !(low.isFinite && high.isFinite) { (low, high) = (0, 1) }
        if high - low < 1e-12 * max(1, abs(low)) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        let rough = (high - low) / Double(max(1, count))
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let residual = rough / magnitude
        var step = (residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10) * magnitude
        if integral { step = max(1, step.rounded()) }
        self.step = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    /// The tick values from `lower` to `upper`.
    public var values: [Double] {
        let count = Int(((upper - lower) / step).rounded()) + 1
        return (0..<count).map { lower + Double($0) * step }
    }

    /// `value` written with as many decimals as the step needs; very large or small steps in
    /// scientific notation (`1.0E-4`).
    public func label(_ value: Double) -> String {
        let v = abs(value) < step * 1e-9 ? 0 : value
        if abs(v) >= 1e5 || step < 1e-3 { return cFormat("%.1e", v).uppercased() }
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        return cFormat("%.\(decimals)f", v)
    }
}
