import HebbTensor

/// How a Hebbian layer's learning rate evolves (SoftHebb spec §3.5).
public enum LearningRateSchedule: Sendable, Equatable, Codable {
    /// Radius-adaptive (`v1`): `η_c = base·(|r_c − 1| + 1e-10)^power` per unit, from the current
    /// radii; no time decay — learning slows as each radius converges to 1.
    case radiusAdaptive(base: Float, power: Float)
    /// Linear decay (`v0`): update k uses `max(0, base − k·base·ratio/epochs)` with
    /// ratio = batch size / training samples, reaching 0 at the end of the phase.
    case linearDecay(base: Float, ratio: Double, epochs: Int)
    /// A fixed rate.
    case constant(Float)

    /// Per-unit rates for the update with 0-based index `updateIndex`, given radii (O).
    public func rates(radii: [Float], updateIndex: Int) -> [Float] {
        switch self {
        case .radiusAdaptive(let base, let power):
            return radii.map { base * powf(abs($0 - 1) + 1e-10, power) }
        case .linearDecay(let base, let ratio, let epochs):
            let b = Double(base)
            let step = epochs > 0 ? b * ratio / Double(epochs) : 0
            let rate = Float(Swift.max(0, b - Double(updateIndex) * step))
            return [Float](repeating: rate, count: radii.count)
        case .constant(let rate):
            return [Float](repeating: rate, count: radii.count)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
