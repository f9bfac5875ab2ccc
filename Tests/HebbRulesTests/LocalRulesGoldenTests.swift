import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

/// Oja, plain Hebb and Lagani's rule against `scripts/reference/local_rules.py` (fully connected
/// cases; the layer similarities and the conv cases are checked by the model and experiment tests).
final class LocalRulesGoldenTests: XCTestCase {
    private var golden: GoldenLocalRules!

    override func setUpWithError() throws { golden = try GoldenLocalRules.load() }

    func testGoldenFile_coversEveryVariant() {
        XCTAssertEqual(golden.classic.map(\.name), ["oja_linear", "hebb_plain", "hebb_decay0.1", "hebb_norm"])
        XCTAssertEqual(golden.wta.count, 8)
        XCTAssertEqual(Set(golden.wta.compactMap(\.similarity)), ["angular", "euclid", "proj"])
        XCTAssertTrue(golden.wta.contains { $0.som != nil } && golden.wta.contains { $0.teacher != nil })
    }

    func testOjaAndPlainHebb_stepAndUpdatedWeights_matchReference() {
        for c in golden.classic {
            let w = Tensor(shape: [c.O, c.N], scalars: c.W)
            let context = RuleContext(inputs: Tensor(shape: [c.M, c.N], scalars: c.x), currents: Tensor(shape: [c.M, c.O], scalars: c.u), weights: w)
            let rule: any LearningRule = c.rule == "oja"
                ? Oja() : PlainHebbian(weightDecay: c.weightDecay ?? 0, normalisesUnits: c.unitNormalisation ?? false)
            XCTAssertEqual(rule.postSynapticSignal(currents: context.currents).denseMatrix, context.currents, "\(c.name): y = u")
            assertClose(rule.delta(for: context), Tensor(shape: [c.O, c.N], scalars: c.deltaW), atol: 1e-5, rtol: 1e-5, c.name)
            assertClose(updated(w, rule: rule, context: context, eta: c.eta), Tensor(shape: w.shape, scalars: c.updated), atol: 1e-5, rtol: 1e-5, c.name)
        }
    }

    func testLaganiSignalStepAndUpdatedWeights_matchReference() {
        for c in golden.wta {
            let w = Tensor(shape: [c.O, c.N], scalars: c.W)
            let s = Tensor(shape: [c.M, c.O], scalars: c.s)
            let context = RuleContext(inputs: Tensor(shape: [c.M, c.N], scalars: c.x), currents: s, weights: w)
            let rule = c.laganiRule
            assertClose(rule.postSynapticSignal(currents: s).denseMatrix, Tensor(shape: [c.M, c.O], scalars: c.r ?? []), atol: 1e-5, rtol: 1e-5, "\(c.name) r")
            assertClose(rule.delta(for: context), Tensor(shape: [c.O, c.N], scalars: c.deltaW), atol: 1e-5, rtol: 1e-5, "\(c.name) ΔW")
            assertClose(updated(w, rule: rule, context: context, eta: c.eta), Tensor(shape: w.shape, scalars: c.updated), atol: 1e-5, rtol: 1e-5, c.name)
        }
    }

    func testCentroidClassifier_movesEachClassVectorToItsBatchMean() throws {
        let c = try XCTUnwrap(golden.wta.first { $0.name == "centroid_classifier" })
        let teacher = try XCTUnwrap(c.teacher)
        let x = Tensor(shape: [c.M, c.N], scalars: c.x)
        let delta = c.laganiRule.delta(for: RuleContext(inputs: x, currents: Tensor(shape: [c.M, c.O], scalars: c.s), weights: Tensor(shape: [c.O, c.N], scalars: c.W)))
        for unit in 0..<c.O {
            let rows = teacher.targets.indices.filter { Int(teacher.targets[$0]) == unit }
            guard !rows.isEmpty else { continue }
            for j in 0..<c.N {
                let mean = rows.map { x[$0, j] }.reduce(0, +) / Float(rows.count)
                XCTAssertEqual(delta[unit, j], mean - c.W[unit * c.N + j], accuracy: 1e-5, "class \(unit)")
            }
        }
    }

    func testTeacher_restrictsTheWinnerToTheClassGroupOrFreeKernels() {
        // Units 0–1 belong to class 0, 2–3 to class 1, 4 is free.
        let u = Tensor(shape: [3, 5], scalars: [0.9, 0.1, 0.95, 0.2, 0.3, 0.9, 0.1, 0.95, 0.2, 0.3, 0.1, 0.1, 0.2, 0.2, 0.8])
        let rule = LaganiWinnerTakeAll(teacher: ClassTeacher(targets: [1, 0, 0], kernelsPerClass: 2, classCount: 2))
        XCTAssertEqual(rule.winners(u), [2, 0, 4])
    }

    func testNeighbourhood_shrinksFromTheMapRadiusAndIsOneAtTheWinner() {
        let start = SelfOrganisingNeighbourhood(mapShape: [8, 12], timeConstant: 1000, updateIndex: 0)
        XCTAssertEqual(start.radii, [3, 5])
        XCTAssertEqual(start.width, 5)
        XCTAssertEqual(SelfOrganisingNeighbourhood(mapShape: [8, 12], timeConstant: 1000, updateIndex: 1000).width, 1, accuracy: 1e-9)
        let table = start.table()
        XCTAssertEqual(table[13 * 96 + 13], 1, "the winner itself")
        XCTAssertEqual(table[13 * 96 + 14], Float(exp(-1.0 / 50)), accuracy: 1e-6, "L∞ distance 1, σ = 5")
        XCTAssertEqual(table[0 * 96 + 95], 0, "(7, 11) lies outside the kernel window of a winner at (0, 0)")
    }

    private func updated(_ w: Tensor, rule: any LearningRule, context: RuleContext, eta: Float) -> Tensor {
        var weights = w
        let change = HebbianDelta(signal: rule.postSynapticSignal(currents: context.currents), context: context, form: rule.updateForm)
        HebbianDelta.apply(
            raw: change.raw, maxAbsolute: change.maxAbsolute, rates: [Float](repeating: eta, count: w.rows), to: &weights,
            unitNormalisation: rule.normalisesUnits)
        return weights
    }
}
