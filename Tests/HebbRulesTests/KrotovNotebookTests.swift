import Foundation
import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

/// `KrotovHopfield` with the shared update and the per-epoch linear decay against a NumPy port of
/// Krotov & Hopfield's notebook loop (`scripts/reference/krotov_notebook.py`).
final class KrotovNotebookTests: XCTestCase {
    struct Golden: Decodable {
        struct Single: Decodable {
            var name: String, hid: Int, N: Int, Num: Int, p: Float, k: Int, delta: Float, eps: Float
            var W: [Float], inputs: [Float], currents: [Float], signal: [Float], step: [Float], updated: [Float]
        }
        struct Trajectory: Decodable {
            var hid: Int, N: Int, Ns: Int, Num: Int, p: Float, k: Int, delta: Float, eps0: Float, Nep: Int
            var W: [Float], samples: [Float], permutations: [[Int]], etas: [Float], final: [Float]
        }
        var single: [Single]
        var trajectory: Trajectory
    }

    private func load() throws -> Golden {
        let url = Bundle.module.url(forResource: "krotov_notebook", withExtension: "json", subdirectory: "Golden")
            ?? URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Golden/krotov_notebook.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    /// One notebook update (the currents, ranking signal, normalised step and new weights).
    private func update(_ w: inout Tensor, inputs x: Tensor, p: Float, k: Int, delta: Float, eps: Float) -> (RuleContext, Tensor) {
        let context = RuleContext(inputs: x, currents: Tensor.matmul(x, w.signedPower(p - 1), transposeB: true), weights: w)
        let rule = KrotovHopfield(rankingK: k, antiHebbianStrength: delta)
        let change = HebbianDelta(signal: rule.postSynapticSignal(currents: context.currents), context: context, form: rule.updateForm)
        let rates = [Float](repeating: eps, count: w.rows)
        HebbianDelta.apply(raw: change.raw, maxAbsolute: change.maxAbsolute, rates: rates, to: &w, lebesguePower: p)
        return (context, rule.postSynapticSignal(currents: context.currents).denseMatrix)
    }

    func testOneUpdate_onFixedWeightsAndBatch_equalsTheNotebook() throws {
        let golden = try load()
        XCTAssertEqual(golden.single.count, 3)
        for c in golden.single {
            var w = Tensor(shape: [c.hid, c.N], scalars: c.W)
            let x = Tensor(shape: [c.Num, c.N], scalars: c.inputs)
            let step = KrotovHopfield(rankingK: c.k, antiHebbianStrength: c.delta).delta(
                for: RuleContext(inputs: x, currents: Tensor.matmul(x, w.signedPower(c.p - 1), transposeB: true), weights: w))
            let (context, signal) = update(&w, inputs: x, p: c.p, k: c.k, delta: c.delta, eps: c.eps)
            assertClose(context.currents, Tensor(shape: [c.Num, c.hid], scalars: c.currents), atol: 1e-5, rtol: 1e-5, "\(c.name) currents")
            XCTAssertEqual(signal, Tensor(shape: [c.Num, c.hid], scalars: c.signal), "\(c.name): +1 for the top unit, −Δ for the k-th")
            assertClose(step, Tensor(shape: [c.hid, c.N], scalars: c.step), atol: 1e-5, rtol: 0, "\(c.name) ds/nc")
            assertClose(w, Tensor(shape: [c.hid, c.N], scalars: c.updated), atol: 1e-5, rtol: 0, "\(c.name) synapses += eps·ds/nc")
            XCTAssertEqual(step.maxAbsolute(), 1, accuracy: 1e-6, "\(c.name): the largest change equals eps")
        }
    }

    func testThreeEpochs_withPerEpochLinearDecay_equalTheNotebook() throws {
        let t = try load().trajectory
        let perEpoch = t.Ns / t.Num
        let schedule = LearningRateSchedule.epochLinearDecay(base: t.eps0, updatesPerEpoch: perEpoch, epochs: t.Nep)
        var w = Tensor(shape: [t.hid, t.N], scalars: t.W)
        var samples = Tensor(shape: [t.Ns, t.N], scalars: t.samples)
        var etas: [Float] = []
        for epoch in 0..<t.Nep {
            // The notebook permutes M in place every epoch, so permutations compound.
            samples = Tensor(shape: samples.shape, scalars: t.permutations[epoch].flatMap { samples.rows($0..<($0 + 1)).scalars })
            for i in 0..<perEpoch {
                let eps = schedule.rates(radii: [0], updateIndex: epoch * perEpoch + i)[0]
                etas.append(eps)
                _ = update(&w, inputs: samples.rows((i * t.Num)..<((i + 1) * t.Num)), p: t.p, k: t.k, delta: t.delta, eps: eps)
            }
        }
        assertClose(etas, t.etas, atol: 1e-7, rtol: 1e-6, "eps0·(1 − nep/Nep), constant within an epoch")
        assertClose(w, Tensor(shape: [t.hid, t.N], scalars: t.final), atol: 1e-4, rtol: 0, "weights after 3 epochs")
    }

    func testPerEpochDecay_differsFromSoftHebbPerUpdateDecayWithinAnEpoch() {
        let epochwise = LearningRateSchedule.epochLinearDecay(base: 0.04, updatesPerEpoch: 600, epochs: 200)
        let perUpdate = LearningRateSchedule.linearDecay(base: 0.04, ratio: 100.0 / 60000, epochs: 200)
        XCTAssertEqual(epochwise.rates(radii: [0], updateIndex: 599), [0.04], "still epoch 0")
        XCTAssertEqual(epochwise.rates(radii: [0], updateIndex: 600)[0], 0.04 * (1 - 1.0 / 200), accuracy: 1e-9)
        XCTAssertEqual(perUpdate.rates(radii: [0], updateIndex: 600)[0], epochwise.rates(radii: [0], updateIndex: 600)[0], accuracy: 1e-8,
                       "both agree at epoch boundaries")
        XCTAssertLessThan(perUpdate.rates(radii: [0], updateIndex: 599)[0], 0.04, "SoftHebb's v0 decays inside the epoch")
        XCTAssertEqual(epochwise.rates(radii: [0], updateIndex: 200 * 600 - 1)[0], 0.04 / 200, accuracy: 1e-9, "last epoch uses eps0/Nep, not 0")
    }
}
