import HebbText

/// A Kohonen self-organising-map neighbourhood over units laid out on a 1–3-D map, as Lagani's
/// HebbianMap2d builds its Gaussian lateral-feedback kernel (`lfb_value='gauss'`).
///
/// Map radius per axis `ρ_a = ⌊(size_a − 1)/2⌋`, σ₀ = max ρ_a. For a winner w and a unit c the
/// offset per axis is `o_a = w_a − c_a`; the kernel covers `−ρ_a ≤ o_a ≤ size_a − 1 − ρ_a` (it is
/// applied as a zero-padded cross-correlation, so the window is asymmetric on even axes) and
/// is `k₀ = exp(−D²/(2σ₀²))` with the L∞ distance `D = max_a |o_a|`. After every update the
/// kernel is sharpened `k ← k^α`, α = σ₀^(2/τ), so after t updates the width is
/// `σ_t = σ₀^(1 − t/τ)`: it shrinks from σ₀ to 1 at t = τ and keeps shrinking.
public struct SelfOrganisingNeighbourhood: Sendable, Equatable {
    /// Map shape; its product is the number of units.
    public var mapShape: [Int]
    /// Time constant τ of the shrinking (updates).
    public var timeConstant: Float
    /// Updates already applied (t).
    public var updateIndex: Int

    /// Creates the neighbourhood for update `updateIndex`.
    public init(mapShape: [Int], timeConstant: Float, updateIndex: Int) {
        precondition((1...3).contains(mapShape.count) && mapShape.allSatisfy { $0 >= 1 }, "SOM map \(mapShape) must have 1–3 positive axes")
        precondition(timeConstant > 0, "SOM time constant must be positive")
        self.mapShape = mapShape
        self.timeConstant = timeConstant
        self.updateIndex = updateIndex
    }

    /// Number of units on the map.
    public var units: Int { mapShape.reduce(1, *) }

    /// Map radius per axis, ⌊(size − 1)/2⌋.
    public var radii: [Int] { mapShape.map { ($0 - 1) / 2 } }

    /// The initial width σ₀ (the largest map radius).
    public var initialWidth: Int { radii.max() ?? 0 }

    /// The current width σ_t = σ₀^(1 − t/τ) (σ₀ when σ₀ ≤ 1).
    public var width: Double {
        let sigma = Double(initialWidth)
        return sigma <= 1 ? sigma : pow(sigma, 1 - Double(updateIndex) / Double(timeConstant))
    }

    /// The kernel row of every winner: `table[w·units + c]` is the lateral feedback unit c
    /// receives when w wins, in [0, 1].
    public func table() -> [Float] {
        let n = units
        let coordinates = (0..<n).map(coordinates(of:))
        let (rho, sigma) = (radii, width)
        var out = [Float](repeating: 0, count: n * n)
        for w in 0..<n {
            for c in 0..<n {
                var distance = 0
                var inside = true
                for a in 0..<mapShape.count {
                    let offset = coordinates[w][a] - coordinates[c][a]
                    if offset < -rho[a] || offset > mapShape[a] - 1 - rho[a] { inside = false }
                    distance = max(distance, abs(offset))
                }
                guard inside else { continue }
                if distance == 0 {
                    out[w * n + c] = 1
                } else if sigma > 0 {
                    out[w * n + c] = Float(exp(-Double(distance * distance) / (2 * sigma * sigma)))
                }
            }
        }
        return out
    }

    /// Row-major coordinates of unit `index` on the map.
    func coordinates(of index: Int) -> [Int] {
        var rest = index
        var out = [Int](repeating: 0, count: mapShape.count)
        for a in stride(from: mapShape.count - 1, through: 0, by: -1) {
            out[a] = rest % mapShape[a]
            rest /= mapShape[a]
        }
        return out
    }
}
