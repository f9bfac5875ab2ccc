import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

/// Learning-rate schedules, replayed against the NumPy trajectories (`Golden/rules.json`, `schedules`).
final class LearningRateScheduleTests: XCTestCase {
    private var golden: GoldenRules!

    override func setUpWithError() throws {
        golden = try GoldenRules.load()
    }

    func testRadiusAdaptive_replaysReferenceTrajectory_forThreeSteps() throws {
        let s = golden.schedules.adaptive
        let schedule = LearningRateSchedule.radiusAdaptive(base: s.lr, power: try XCTUnwrap(s.powerLR))
        replay(s, schedule: schedule, name: "adaptive")
    }

    func testLinearDecay_replaysReferenceTrajectory_forThreeSteps() throws {
        let s = golden.schedules.linearDecay
        let ratio = Double(try XCTUnwrap(s.batchSize)) / Double(try XCTUnwrap(s.trainingSample))
        let schedule = LearningRateSchedule.linearDecay(base: s.lr, ratio: ratio, epochs: try XCTUnwrap(s.nbEpochs))
        replay(s, schedule: schedule, name: "linearDecay")
    }

    func testLinearDecay_reachesZero_afterThePhase() throws {
        let s = golden.schedules.linearDecay
        let ratio = Double(try XCTUnwrap(s.batchSize)) / Double(try XCTUnwrap(s.trainingSample))
        let schedule = LearningRateSchedule.linearDecay(base: s.lr, ratio: ratio, epochs: try XCTUnwrap(s.nbEpochs))
        let radii = [Float](repeating: 2, count: s.O)
        let after = try XCTUnwrap(s.etaAfter)
        XCTAssertEqual(after, [0, 0])
        for (offset, expected) in after.enumerated() {
            let rates = schedule.rates(radii: radii, updateIndex: s.steps.count + offset)
            XCTAssertEqual(rates, [Float](repeating: expected, count: s.O), "update \(s.steps.count + offset)")
        }
        XCTAssertEqual(schedule.rates(radii: radii, updateIndex: 1000), [Float](repeating: 0, count: s.O))
    }

    func testRadiusAdaptive_isZeroAtUnitRadius_andGrowsWithDistance() {
        let schedule = LearningRateSchedule.radiusAdaptive(base: 0.05, power: 0.5)
        let rates = schedule.rates(radii: [1, 1.25, 0.75, 5], updateIndex: 7)
        XCTAssertEqual(rates[0], 0.05 * 1e-5, accuracy: 1e-9)  // (0 + 1e-10)^0.5
        XCTAssertEqual(rates[1], 0.025, accuracy: 1e-7)
        XCTAssertEqual(rates[2], 0.025, accuracy: 1e-7)
        XCTAssertEqual(rates[3], 0.1, accuracy: 1e-7)
        XCTAssertEqual(schedule.rates(radii: [1, 1.25, 0.75, 5], updateIndex: 0), rates, "no time decay")
    }

    func testConstant_givesTheSameRateToEveryUnit_atEveryUpdate() {
        let schedule = LearningRateSchedule.constant(0.3)
        XCTAssertEqual(schedule.rates(radii: [0, 1, 9], updateIndex: 0), [0.3, 0.3, 0.3])
        XCTAssertEqual(schedule.rates(radii: [0, 1, 9], updateIndex: 99), [0.3, 0.3, 0.3])
    }

    func testApply_equalsWeightsPlusRateTimesNormalisedDelta() {
        var rng = SeededGenerator(seed: 31)
        let x = Tensor.uniform([6, 5], using: &rng)
        let w = Tensor.normal([4, 5], using: &rng)
        let context = RuleContext(inputs: x, currents: Tensor.matmul(x, w, transposeB: true), weights: w)
        let rule = SoftHebb(inverseTemperature: 2, antiHebbian: true)
        let delta = HebbianDelta(signal: rule.postSynapticSignal(currents: context.currents), context: context)
        let rates: [Float] = [0.1, 0, 0.3, 0.05]
        var updated = w
        HebbianDelta.apply(raw: delta.raw, maxAbsolute: delta.maxAbsolute, rates: rates, to: &updated)
        let normalised = rule.delta(for: context)
        var expected = w
        for c in 0..<4 { for j in 0..<5 { expected[c, j] += rates[c] * normalised[c, j] } }
        assertClose(updated, expected, atol: 1e-6, rtol: 1e-6)
        XCTAssertEqual(updated.rows(1..<2), w.rows(1..<2), "a zero rate leaves the unit untouched")
    }

    // MARK: helpers

    /// Replays the golden trajectory from W0, feeding each step the Swift weights of the previous one.
    private func replay(_ s: GoldenRules.Schedule, schedule: LearningRateSchedule, name: String) {
        let rule = goldenRule(s.rule, t: s.t, k: 2, delta: 0.4)
        var w = Tensor(shape: [s.O, s.N], scalars: s.W0)
        XCTAssertEqual(s.steps.count, 3)
        for (index, step) in s.steps.enumerated() {
            let label = "\(name) step \(index)"
            let radii = w.normsRows(p: s.p).scalars
            assertClose(radii, step.radiiBefore, atol: 1e-5, rtol: 1e-5, label)
            let x = Tensor(shape: [s.M, s.N], scalars: step.x)
            let u = goldenCurrents(inputs: x, weights: w, p: s.p)
            assertClose(u, Tensor(shape: [s.M, s.O], scalars: step.u), atol: 1e-5, rtol: 1e-5, label)
            let context = RuleContext(inputs: x, currents: u, weights: w)
            let signal = rule.postSynapticSignal(currents: u)
            assertClose(signal.denseMatrix, Tensor(shape: [s.M, s.O], scalars: step.y), atol: 1e-5, rtol: 1e-5, label)
            let delta = HebbianDelta(signal: signal, context: context)
            assertClose(delta.normalised, Tensor(shape: [s.O, s.N], scalars: step.deltaW), atol: 1e-5, rtol: 0, label)
            let rates = schedule.rates(radii: radii, updateIndex: index)
            assertClose(rates, step.eta, atol: 1e-5, rtol: 1e-5, label)
            HebbianDelta.apply(raw: delta.raw, maxAbsolute: delta.maxAbsolute, rates: rates, to: &w)
            assertClose(w, Tensor(shape: [s.O, s.N], scalars: step.W), atol: 1e-5, rtol: 1e-5, label)
            assertClose(w.normsRows(p: s.p).scalars, step.radiiAfter, atol: 1e-5, rtol: 1e-5, label)
        }
    }
}
