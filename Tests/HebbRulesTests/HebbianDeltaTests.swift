import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

/// Structural properties of the shared Hebbian weight change, on seeded random data.
final class HebbianDeltaTests: XCTestCase {
    private let rules: [(String, any LearningRule)] = [
        ("hard", HardWinnerTakeAll()),
        ("soft", SoftHebb(inverseTemperature: 1, antiHebbian: false)),
        ("softkrotov", SoftHebb(inverseTemperature: 5, antiHebbian: true)),
        ("hardkrotov", KrotovHopfield(rankingK: 3, antiHebbianStrength: 0.4)),
    ]

    func testHardWinnerTakeAll_changesOnlyWinnersRows() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<10 {
            let context = randomContext(m: 7, n: 9, o: 12, p: 2, using: &rng)
            let winners = Set(context.currents.argmaxRows().map(Int.init))
            XCTAssertLessThan(winners.count, 12, "some units must lose for the test to mean anything")
            let delta = HardWinnerTakeAll().delta(for: context)
            for c in 0..<12 {
                let row = delta.rows(c..<(c + 1)).scalars
                if winners.contains(c) {
                    XCTAssertTrue(row.contains { $0 != 0 }, "trial \(trial): winner \(c) must move")
                } else {
                    XCTAssertEqual(row, [Float](repeating: 0, count: 9), "trial \(trial): loser \(c)")
                }
            }
        }
    }

    func testKrotovHopfield_changesOnlyRowsRankedFirstAndKth() {
        var rng = SeededGenerator(seed: 12)
        for k in [2, 4] {
            for trial in 0..<10 {
                let context = randomContext(m: 3, n: 6, o: 10, p: 3, using: &rng)
                let rule = KrotovHopfield(rankingK: k, antiHebbianStrength: 0.3)
                let ranked = context.currents.topKRows(k)
                let touched = Set(ranked.flatMap { [Int($0[0]), Int($0[k - 1])] })
                XCTAssertLessThan(touched.count, 10)
                let delta = rule.delta(for: context)
                for c in 0..<10 where !touched.contains(c) {
                    XCTAssertEqual(delta.rows(c..<(c + 1)).scalars, [Float](repeating: 0, count: 6), "k \(k) trial \(trial) unit \(c)")
                }
                for c in touched {
                    XCTAssertTrue(delta.rows(c..<(c + 1)).scalars.contains { $0 != 0 }, "k \(k) trial \(trial) unit \(c)")
                }
            }
        }
    }

    func testKrotovSignal_isPlusOneForTopAndMinusDeltaForKth() {
        let u = Tensor(shape: [2, 4], scalars: [0.1, 0.9, 0.5, 0.3, 2, -1, 2, 0])
        let y = KrotovHopfield(rankingK: 3, antiHebbianStrength: 0.25).postSynapticSignal(currents: u).denseMatrix
        // Row 0 ranks 1, 2, 3, 0; row 1 ranks 0, 2 (tie → lower index first), 3, 1.
        XCTAssertEqual(y.scalars, [0, 1, 0, -0.25, 1, 0, 0, -0.25])
    }

    func testNormalisedDelta_hasMaxAbsoluteOne_forEveryRule() {
        var rng = SeededGenerator(seed: 13)
        for (name, rule) in rules {
            for p: Float in [2, 3] {
                let context = randomContext(m: 16, n: 20, o: 8, p: p, using: &rng)
                let delta = rule.delta(for: context)
                XCTAssertTrue(delta.isFinite, name)
                XCTAssertEqual(delta.maxAbsolute(), 1, accuracy: 1e-6, "\(name) p \(p)")
            }
        }
    }

    func testNormalisedDelta_isUnchanged_byDuplicatingTheBatch() {
        var rng = SeededGenerator(seed: 14)
        for (name, rule) in rules {
            let context = randomContext(m: 10, n: 12, o: 6, p: 2, using: &rng)
            let twice = RuleContext(
                inputs: stacked(context.inputs, context.inputs),
                currents: stacked(context.currents, context.currents), weights: context.weights)
            let single = HebbianDelta(signal: rule.postSynapticSignal(currents: context.currents), context: context)
            let double = HebbianDelta(signal: rule.postSynapticSignal(currents: twice.currents), context: twice)
            assertClose(double.raw, 2 * single.raw, atol: 1e-5, rtol: 1e-5, name)
            assertClose(rule.delta(for: twice), rule.delta(for: context), atol: 1e-6, rtol: 1e-5, name)
        }
    }

    func testSparseAndDensePaths_agree_forHardAndKrotovSignals() {
        var rng = SeededGenerator(seed: 15)
        let sparseRules: [any LearningRule] = [
            HardWinnerTakeAll(), KrotovHopfield(rankingK: 2, antiHebbianStrength: 0.4),
            KrotovHopfield(rankingK: 5, antiHebbianStrength: 1),
        ]
        for rule in sparseRules {
            let context = randomContext(m: 9, n: 11, o: 7, p: 2, using: &rng)
            let sparse = rule.postSynapticSignal(currents: context.currents)
            guard case .sparse = sparse else { return XCTFail("\(rule) should give a sparse signal") }
            let dense = PostSynapticSignal.dense(sparse.denseMatrix)
            let a = HebbianDelta(signal: sparse, context: context)
            let b = HebbianDelta(signal: dense, context: context)
            assertClose(a.raw, b.raw, atol: 1e-5, rtol: 1e-5, "\(rule)")
            XCTAssertEqual(a.maxAbsolute, b.maxAbsolute, accuracy: 1e-5 * b.maxAbsolute, "\(rule)")
            assertClose(a.normalised, b.normalised, atol: 1e-6, rtol: 1e-5, "\(rule)")
        }
    }

    func testRawDelta_matchesDefinition_forDenseSignal() {
        var rng = SeededGenerator(seed: 16)
        let context = randomContext(m: 5, n: 4, o: 3, p: 2, using: &rng)
        let y = SoftHebb(inverseTemperature: 2, antiHebbian: true).postSynapticSignal(currents: context.currents)
        let raw = HebbianDelta(signal: y, context: context).raw
        let (x, u, w, ym) = (context.inputs, context.currents, context.weights, y.denseMatrix)
        var expected = Tensor.zeros([3, 4])
        for c in 0..<3 {
            let decay = (0..<5).reduce(Float(0)) { $0 + ym[$1, c] * u[$1, c] }
            for j in 0..<4 {
                let hebb = (0..<5).reduce(Float(0)) { $0 + ym[$1, c] * x[$1, j] }
                expected[c, j] = hebb - decay * w[c, j]
            }
        }
        assertClose(raw, expected, atol: 1e-5, rtol: 1e-5)
    }

    func testCompute_overwritesAReusedBuffer() {
        var rng = SeededGenerator(seed: 17)
        let context = randomContext(m: 6, n: 5, o: 4, p: 2, using: &rng)
        for (name, rule) in rules {
            var buffer = Tensor(repeating: 123, shape: [4, 5])
            let signal = rule.postSynapticSignal(currents: context.currents)
            let maximum = HebbianDelta.compute(signal: signal, context: context, into: &buffer)
            let fresh = HebbianDelta(signal: signal, context: context)
            assertClose(buffer, fresh.raw, atol: 1e-6, rtol: 1e-6, name)
            XCTAssertEqual(maximum, fresh.maxAbsolute, name)
        }
    }

    func testSoftHebbSignal_rowsSumToOne_orKeepWinnerPositiveWhenAntiHebbian() {
        var rng = SeededGenerator(seed: 18)
        let u = Tensor.normal([8, 6], standardDeviation: 3, using: &rng)
        let plain = SoftHebb(inverseTemperature: 1.5, antiHebbian: false).postSynapticSignal(currents: u).denseMatrix
        let anti = SoftHebb(inverseTemperature: 1.5, antiHebbian: true).postSynapticSignal(currents: u).denseMatrix
        let winners = u.argmaxRows()
        for r in 0..<8 {
            XCTAssertEqual((0..<6).reduce(Float(0)) { $0 + plain[r, $1] }, 1, accuracy: 1e-5)
            for c in 0..<6 {
                let expected = c == Int(winners[r]) ? plain[r, c] : -plain[r, c]
                XCTAssertEqual(anti[r, c], expected, "row \(r) unit \(c)")
            }
        }
    }

    // MARK: helpers

    private func randomContext(m: Int, n: Int, o: Int, p: Float, using rng: inout SeededGenerator) -> RuleContext {
        let x = Tensor.uniform([m, n], using: &rng)
        let w = Tensor.normal([o, n], using: &rng)
        return RuleContext(inputs: x, currents: goldenCurrents(inputs: x, weights: w, p: p), weights: w)
    }

    private func stacked(_ a: Tensor, _ b: Tensor) -> Tensor {
        Tensor(shape: [a.rows + b.rows, a.columns], scalars: a.scalars + b.scalars)
    }
}
