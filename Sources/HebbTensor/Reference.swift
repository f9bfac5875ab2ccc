/// Plain, obviously-correct implementations: the test oracle for every fast kernel.
public enum Reference {
    /// Triple-loop matrix product `a (M,K) · b (K,N)`.
    public static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var out = Tensor.zeros([m, n])
        for i in 0..<m {
            for j in 0..<n {
                var total: Double = 0
                for l in 0..<k { total += Double(a[i, l]) * Double(b[l, j]) }
                out[i, j] = Float(total)
            }
        }
        return out
    }

    /// Transpose of a matrix.
    public static func transpose(_ a: Tensor) -> Tensor {
        var out = Tensor.zeros([a.shape[1], a.shape[0]])
        for i in 0..<a.shape[0] { for j in 0..<a.shape[1] { out[j, i] = a[i, j] } }
        return out
    }

    /// Softmax of `t·row` per row, in Double.
    public static func softmaxRows(_ x: Tensor, inverseTemperature t: Float) -> Tensor {
        var out = x
        for r in 0..<x.shape[0] {
            let row = (0..<x.shape[1]).map { Double(t) * Double(x[r, $0]) }
            let m = row.max() ?? 0
            let e = row.map { exp($0 - m) }
            let total = e.reduce(0, +)
            for c in 0..<x.shape[1] { out[r, c] = Float(e[c] / total) }
        }
        return out
    }

    /// Indices of the k largest per row by a full stable sort (descending, lowest index on ties).
    public static func topKRows(_ x: Tensor, k: Int) -> [[Int32]] {
        (0..<x.shape[0]).map { r in
            let order = (0..<x.shape[1]).sorted { a, b in
                x[r, a] != x[r, b] ? x[r, a] > x[r, b] : a < b
            }
            return order.prefix(k).map { Int32($0) }
        }
    }

    /// (Σ|x|^p)^(1/p) per row, in Double.
    public static func normsRows(_ x: Tensor, p: Float) -> [Float] {
        (0..<x.rows).map { r in
            let total = (0..<x.columns).reduce(0.0) {
                $0 + pow(Swift.abs(Double(x.scalars[r * x.columns + $1])), Double(p))
            }
            return Float(pow(total, 1 / Double(p)))
        }
    }
}

import HebbText
