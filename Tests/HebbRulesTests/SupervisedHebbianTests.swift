import Foundation
import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

/// The supervised Hebbian classifier's update against `scripts/reference/supervised_rule.py`.
final class SupervisedHebbianTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable {
            var name: String, M: Int, N: Int, O: Int
            var x: [Float], W: [Float], targets: [Int32], deltaW: [Float]
        }
        var cases: [Case]
    }

    func testDelta_matchesNumPyReference() throws {
        let url = Bundle.module.url(forResource: "supervised", withExtension: "json", subdirectory: "Golden")
            ?? URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Golden/supervised.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        XCTAssertEqual(golden.cases.count, 2)
        for c in golden.cases {
            let x = Tensor(shape: [c.M, c.N], scalars: c.x)
            let w = Tensor(shape: [c.O, c.N], scalars: c.W)
            let context = RuleContext(inputs: x, currents: Tensor.matmul(x, w, transposeB: true), weights: w)
            let delta = SupervisedHebbian(targets: c.targets).delta(for: context)
            assertClose(delta, Tensor(shape: [c.O, c.N], scalars: c.deltaW), atol: 1e-5, rtol: 1e-4, c.name)
            for unit in 0..<c.O where !c.targets.contains(Int32(unit)) {
                XCTAssertEqual(delta.rows(unit..<(unit + 1)).scalars, [Float](repeating: 0, count: c.N), "\(c.name): absent class \(unit)")
            }
        }
    }

    func testSignal_isOneHotOfTheTargets() {
        let signal = SupervisedHebbian(targets: [2, 0, 2]).postSynapticSignal(currents: .zeros([3, 4]))
        XCTAssertEqual(signal.denseMatrix, Tensor(shape: [3, 4], scalars: [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0]))
    }
}
