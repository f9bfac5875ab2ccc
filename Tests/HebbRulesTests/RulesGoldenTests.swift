import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

/// Every rule against the NumPy reference (`Golden/rules.json`, `cases`).
final class RulesGoldenTests: XCTestCase {
    private var golden: GoldenRules!

    override func setUpWithError() throws {
        golden = try GoldenRules.load()
    }

    func testGoldenFile_hasSevenCasesCoveringEveryRule() {
        XCTAssertEqual(golden.cases.count, 7)
        XCTAssertEqual(Set(golden.cases.map(\.rule)), ["hard", "soft", "softkrotov", "hardkrotov"])
    }

    func testCurrents_matchReference_forEveryCase() {
        for c in golden.cases {
            let u = goldenCurrents(inputs: input(c), weights: weights(c), p: c.p)
            assertClose(u, Tensor(shape: [c.M, c.O], scalars: c.u), atol: 1e-5, rtol: 1e-5, c.name)
        }
    }

    func testPostSynapticSignal_matchesReference_forEveryCase() {
        for c in golden.cases {
            let (rule, context) = prepare(c)
            let y = rule.postSynapticSignal(currents: context.currents).denseMatrix
            assertClose(y, Tensor(shape: [c.M, c.O], scalars: c.y), atol: 1e-5, rtol: 1e-5, c.name)
        }
    }

    func testPostSynapticSignal_fromGoldenCurrents_matchesReference() {
        // Same check with the reference's own (float64-rounded) currents, isolating the rule.
        for c in golden.cases {
            let rule = goldenRule(c.rule, t: c.t, k: c.rankingK, delta: c.delta)
            let y = rule.postSynapticSignal(currents: Tensor(shape: [c.M, c.O], scalars: c.u)).denseMatrix
            assertClose(y, Tensor(shape: [c.M, c.O], scalars: c.y), atol: 1e-5, rtol: 1e-5, c.name)
        }
    }

    func testDelta_matchesReference_forEveryCase() {
        for c in golden.cases {
            let (rule, context) = prepare(c)
            let delta = rule.delta(for: context)
            assertClose(delta, Tensor(shape: [c.O, c.N], scalars: c.deltaW), atol: 1e-5, rtol: 0, c.name)
        }
    }

    func testHebbianDelta_normalisedEqualsDeltaFor_forEveryCase() {
        for c in golden.cases {
            let (rule, context) = prepare(c)
            let hebbian = HebbianDelta(
                signal: rule.postSynapticSignal(currents: context.currents), context: context)
            XCTAssertEqual(hebbian.normalised, rule.delta(for: context), c.name)
            XCTAssertEqual(hebbian.maxAbsolute, hebbian.raw.maxAbsolute(), c.name)
            XCTAssertEqual(hebbian.normalised.maxAbsolute(), 1, accuracy: 1e-6, c.name)
        }
    }

    func testRadii_matchReference_forEveryCase() {
        for c in golden.cases {
            let radii = weights(c).normsRows(p: c.p)
            assertClose(radii.scalars, c.radii, atol: 1e-5, rtol: 1e-5, c.name)
        }
    }

    func testKrotovSignal_hasOneWinnerAndOneAntiHebbianUnitPerRow() {
        for c in golden.cases where c.rule == "hardkrotov" {
            let y = Tensor(shape: [c.M, c.O], scalars: c.y)
            let (rule, context) = prepare(c)
            XCTAssertEqual(rule.postSynapticSignal(currents: context.currents).denseMatrix, y, c.name)
            for r in 0..<c.M {
                let row = (0..<c.O).map { y[r, $0] }
                XCTAssertEqual(row.filter { $0 == 1 }.count, 1, c.name)
                XCTAssertEqual(row.filter { $0 == -c.delta }.count, 1, c.name)
            }
        }
    }

    // MARK: helpers

    private func input(_ c: GoldenRules.Case) -> Tensor { Tensor(shape: [c.M, c.N], scalars: c.x) }
    private func weights(_ c: GoldenRules.Case) -> Tensor { Tensor(shape: [c.O, c.N], scalars: c.W) }

    private func prepare(_ c: GoldenRules.Case) -> (any LearningRule, RuleContext) {
        let (x, w) = (input(c), weights(c))
        let context = RuleContext(inputs: x, currents: goldenCurrents(inputs: x, weights: w, p: c.p), weights: w)
        return (goldenRule(c.rule, t: c.t, k: c.rankingK, delta: c.delta), context)
    }
}
