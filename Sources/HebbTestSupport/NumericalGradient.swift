import HebbTensor

/// Central-difference gradient of a scalar function `f` at `x`.
///
/// Component i is `(f(x + h·eᵢ) − f(x − h·eᵢ)) / ((xᵢ + h) − (xᵢ − h))`, where the denominator
/// uses the perturbed values actually representable in Float32 (so rounding of `xᵢ ± h` does not
/// bias the quotient). `f` should accumulate in Double (see `weightedSum`) so that only the
/// Float32 forward pass contributes rounding noise, of order ε₃₂·Σ|terms| / (2h).
public func numericalGradient(at x: Tensor, step h: Float = 1e-3, _ f: (Tensor) -> Double) -> Tensor {
    precondition(h > 0, "step must be positive")
    var gradient = Tensor.zeros(x.shape)
    var probe = x
    for i in 0..<x.count {
        let original = x.scalars[i]
        let (plus, minus) = (original + h, original - h)
        probe.scalars[i] = plus
        let high = f(probe)
        probe.scalars[i] = minus
        let low = f(probe)
        probe.scalars[i] = original
        gradient.scalars[i] = Float((high - low) / (Double(plus) - Double(minus)))
    }
    return gradient
}

/// `Σᵢ gᵢ·yᵢ` accumulated in Double: a scalar loss whose gradient with respect to `y` is `g`.
public func weightedSum(_ y: Tensor, _ g: Tensor) -> Double {
    precondition(y.count == g.count, "weightedSum: \(y.shape) vs \(g.shape)")
    var total = 0.0
    for i in 0..<y.count { total += Double(y.scalars[i]) * Double(g.scalars[i]) }
    return total
}
