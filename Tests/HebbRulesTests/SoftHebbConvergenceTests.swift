import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

/// SoftHebb's radius-adaptive training drives every unit's p-norm towards 1 (ICLR 2023, §3.5).
///
/// For p = 2, `w_c·Δw_c = (1 − ‖w_c‖²)·Σ_m y_mc·u_mc`, so with positive data and weights each
/// update pushes the radius towards 1; the adaptive rate `η ∝ |r − 1|^½` makes it settle there.
final class SoftHebbConvergenceTests: XCTestCase {
    func testRadiusAdaptiveSoftHebb_drivesRadiiTowardOne_fromAbove() {
        let (before, after) = train(startRadius: 5, seed: 41)
        XCTAssertEqual(meanDistance(before), 4, accuracy: 1e-4, "starts far from the unit sphere")
        XCTAssertLessThan(meanDistance(after), 0.01, "radii \(after)")
        XCTAssertLessThan(maxDistance(after), 0.02, "radii \(after)")
    }

    func testRadiusAdaptiveSoftHebb_drivesRadiiTowardOne_fromBelow() {
        let (before, after) = train(startRadius: 0.2, seed: 42)
        XCTAssertEqual(meanDistance(before), 0.8, accuracy: 1e-4)
        XCTAssertLessThan(meanDistance(after), 0.01, "radii \(after)")
        XCTAssertLessThan(maxDistance(after), 0.02, "radii \(after)")
    }

    func testRadiusAdaptiveSoftHebb_distanceShrinks_asUpdatesAccumulate() {
        // Not reached in one jump: the distance shrinks progressively (4 → ~2 → ~0.1 → ~0).
        let distances = [10, 30, 300].map { meanDistance(train(startRadius: 5, seed: 43, updates: $0).after) }
        XCTAssertGreaterThan(distances[0], 1, "\(distances)")
        XCTAssertLessThan(distances[0], 4)
        XCTAssertLessThan(distances[1], distances[0])
        XCTAssertLessThan(distances[2], distances[1])
        XCTAssertLessThan(distances[2], 0.01)
    }

    // MARK: helpers

    private let units = 20, inputs = 10, batch = 16

    /// Trains a soft-WTA layer (p = 2, t = 1) on uniform positive data; returns radii before/after.
    private func train(
        startRadius: Float, seed: UInt64, updates: Int = 300
    ) -> (before: [Float], after: [Float]) {
        var rng = SeededGenerator(seed: seed)
        // Positive random directions, each row scaled to exactly `startRadius`.
        var w = Tensor.uniform([units, inputs], low: 0.1, high: 1, using: &rng)
        let norms = w.normsRows(p: 2).scalars
        for c in 0..<units { for j in 0..<inputs { w[c, j] *= startRadius / norms[c] } }
        let before = w.normsRows(p: 2).scalars
        let rule = SoftHebb(inverseTemperature: 1, antiHebbian: false)
        let schedule = LearningRateSchedule.radiusAdaptive(base: 0.08, power: 0.5)
        var raw = Tensor.zeros(w.shape)
        for index in 0..<updates {
            let x = Tensor.uniform([batch, inputs], using: &rng)
            let u = Tensor.matmul(x, w, transposeB: true)
            let context = RuleContext(inputs: x, currents: u, weights: w)
            let maximum = HebbianDelta.compute(
                signal: rule.postSynapticSignal(currents: u), context: context, into: &raw)
            let rates = schedule.rates(radii: w.normsRows(p: 2).scalars, updateIndex: index)
            HebbianDelta.apply(raw: raw, maxAbsolute: maximum, rates: rates, to: &w)
        }
        XCTAssertTrue(w.isFinite)
        return (before, w.normsRows(p: 2).scalars)
    }

    private func meanDistance(_ radii: [Float]) -> Float {
        radii.map { abs($0 - 1) }.reduce(0, +) / Float(radii.count)
    }

    private func maxDistance(_ radii: [Float]) -> Float { radii.map { abs($0 - 1) }.max() ?? 0 }
}
