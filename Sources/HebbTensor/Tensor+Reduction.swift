extension Tensor {
    /// Sum of all elements (accumulated in Double).
    public func sum() -> Float { Float(scalars.reduce(0.0) { $0 + Double($1) }) }

    /// Largest element.
    public func max() -> Float { scalars.max() ?? -.infinity }

    /// Sum along `axis` of a matrix: axis 0 → (columns), axis 1 → (rows).
    public func sum(alongAxis axis: Int) -> Tensor {
        precondition(rank == 2 && (axis == 0 || axis == 1), "sum(alongAxis:) needs a matrix, got \(shape)")
        let (r, c) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: axis == 0 ? c : r)
        scalars.withUnsafeBufferPointer { x in
            for i in 0..<r {
                for j in 0..<c {
                    if axis == 0 { out[j] += x[i &* c &+ j] } else { out[i] += x[i &* c &+ j] }
                }
            }
        }
        return Tensor(shape: [out.count], scalars: out)
    }

    /// Index of the largest element in each row of a matrix.
    public func argmaxRows() -> [Int32] {
        precondition(rank == 2, "argmaxRows needs a matrix, got \(shape)")
        var out = [Int32](repeating: 0, count: shape[0])
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { Kernels.argmaxRows(x, rows: shape[0], columns: shape[1], into: $0) }
        }
        return out
    }

    /// Column indices of the `k` largest entries of each row, descending: (rows, k).
    public func topKRows(_ k: Int) -> [[Int32]] {
        precondition(rank == 2, "topKRows needs a matrix, got \(shape)")
        var flat = [Int32](repeating: 0, count: shape[0] * k)
        scalars.withUnsafeBufferPointer { x in
            flat.withUnsafeMutableBufferPointer {
                Kernels.topKRows(x, rows: shape[0], columns: shape[1], k: k, into: $0)
            }
        }
        return (0..<shape[0]).map { Array(flat[($0 * k)..<($0 * k + k)]) }
    }

    /// Row-wise softmax of `inverseTemperature · x` (t in SoftHebb's notation).
    public func softmaxRows(inverseTemperature: Float = 1) -> Tensor {
        precondition(rank == 2, "softmaxRows needs a matrix, got \(shape)")
        var out = self
        out.scalars.withUnsafeMutableBufferPointer {
            Kernels.softmaxRows($0, rows: shape[0], columns: shape[1], inverseTemperature: inverseTemperature)
        }
        return out
    }

    /// The p-norm ‖row‖_p of each row (rows, ·) — the "radius" of each neuron's weights.
    public func normsRows(p: Float) -> Tensor {
        var out = [Float](repeating: 0, count: rows)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { Kernels.normsRows(x, rows: rows, columns: columns, p: p, into: $0) }
        }
        return Tensor(shape: [rows], scalars: out)
    }
}
