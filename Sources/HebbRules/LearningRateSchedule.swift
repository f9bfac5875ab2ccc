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
    /// Linear decay per epoch (`v2`): every update of epoch e (0-based) uses
    /// `base·(1 − e/epochs)`, Krotov & Hopfield's notebook schedule `eps0·(1 − nep/Nep)` (also
    /// PyTorch-Hebbian's LambdaLR); e = ⌊k / updatesPerEpoch⌋ for update k.
    case epochLinearDecay(base: Float, updatesPerEpoch: Int, epochs: Int)
    /// Exponential decay (`v3`): update k ≥ 1 uses `max(base·e^(−k/τ), minimum)` (update 0 the base), Lagani's
    /// `sched_exp(tau, eta_min)` applied after every update.
    case exponentialDecay(base: Float, timeConstant: Float, minimum: Float)

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
        case .epochLinearDecay(let base, let perEpoch, let epochs):
            let epoch = Double(updateIndex / Swift.max(1, perEpoch))
            let rate = epochs > 0 ? Float(Swift.max(0, Double(base) * (1 - epoch / Double(epochs)))) : base
            return [Float](repeating: rate, count: radii.count)
        case .exponentialDecay(let base, let tau, let minimum):
            // Lagani clamps after each update, so the first update always uses the base rate.
            let decayed = Double(base) * exp(-Double(updateIndex) / Double(tau))
            let rate = updateIndex == 0 ? base : Swift.max(Float(decayed), minimum)
            return [Float](repeating: rate, count: radii.count)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
