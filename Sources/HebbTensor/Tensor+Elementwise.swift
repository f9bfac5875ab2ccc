extension Tensor {
    /// Applies `transform` to every element.
    public func map(_ transform: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, scalars: scalars.map(transform))
    }

    /// Element-wise combination of two tensors of the same shape.
    public func zip(_ other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "shapes differ: \(shape) vs \(other.shape)")
        var out = scalars
        other.scalars.withUnsafeBufferPointer { o in
            out.withUnsafeMutableBufferPointer { x in
                for i in 0..<x.count { x[i] = combine(x[i], o[i]) }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// Element-wise sum.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zip(rhs, +) }
    /// Element-wise difference.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zip(rhs, -) }
    /// Element-wise product.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zip(rhs, *) }
    /// Scaling by a scalar.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }

    /// `self += alpha · other` in place.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(shape == other.shape, "shapes differ: \(shape) vs \(other.shape)")
        other.scalars.withUnsafeBufferPointer { o in
            scalars.withUnsafeMutableBufferPointer { x in
                for i in 0..<x.count { x[i] += alpha * o[i] }
            }
        }
    }

    /// `sign(x)·|x|^power` element-wise: SoftHebb's effective weight ŵ for Lebesgue p = power+1.
    public func signedPower(_ power: Float) -> Tensor {
        if power == 1 { return self }
        var out = self
        scalars.withUnsafeBufferPointer { x in
            out.scalars.withUnsafeMutableBufferPointer { Kernels.signedPower(x, power: power, into: $0) }
        }
        return out
    }
}
