extension Tensor {
    /// Elements drawn from `scale · U[0, 1)`.
    public static func uniform(
        _ shape: [Int], scale: Float = 1, using rng: inout SeededGenerator
    ) -> Tensor {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = scale * rng.nextUniform() }
        return Tensor(shape: shape, scalars: values)
    }

    /// Elements drawn from `U[low, high)`.
    public static func uniform(
        _ shape: [Int], low: Float, high: Float, using rng: inout SeededGenerator
    ) -> Tensor {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = low + (high - low) * rng.nextUniform() }
        return Tensor(shape: shape, scalars: values)
    }

    /// Elements drawn from `N(mean, standardDeviation²)`.
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using rng: inout SeededGenerator
    ) -> Tensor {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = mean + standardDeviation * rng.nextGaussian() }
        return Tensor(shape: shape, scalars: values)
    }
}
