import HebbTensor
import XCTest

/// Determinism and distribution checks of the xoshiro256** generator.
final class SeededGeneratorTests: XCTestCase {
    func testStream_isIdentical_forTheSameSeed() {
        var a = SeededGenerator(seed: 12345)
        var b = SeededGenerator(seed: 12345)
        XCTAssertEqual((0..<1000).map { _ in a.next() }, (0..<1000).map { _ in b.next() })
        XCTAssertEqual((0..<100).map { _ in a.nextGaussian() }, (0..<100).map { _ in b.nextGaussian() })
        XCTAssertEqual(a.permutation(50), b.permutation(50))
    }

    func testStream_differs_forDifferentSeeds() {
        for (s1, s2) in [(0, 1), (1, 2), (42, 43), (7, 1 << 40)] as [(UInt64, UInt64)] {
            var a = SeededGenerator(seed: s1)
            var b = SeededGenerator(seed: s2)
            let streamA = (0..<16).map { _ in a.next() }
            let streamB = (0..<16).map { _ in b.next() }
            XCTAssertEqual(zip(streamA, streamB).filter { $0 == $1 }.count, 0, "seeds \(s1), \(s2)")
        }
    }

    func testStream_isNotConstant_forSeedZero() {
        var rng = SeededGenerator(seed: 0)
        XCTAssertEqual(Set((0..<100).map { _ in rng.next() }).count, 100)
    }

    func testFork_isDeterministic_andIndependentOfTheParent() {
        var a = SeededGenerator(seed: 9)
        var b = SeededGenerator(seed: 9)
        var childA = a.fork()
        var childB = b.fork()
        let fromChild = (0..<8).map { _ in childA.next() }
        XCTAssertEqual(fromChild, (0..<8).map { _ in childB.next() })
        XCTAssertNotEqual(fromChild, (0..<8).map { _ in a.next() })
    }

    func testPermutation_isAPermutation_forSeveralSizes() {
        var rng = SeededGenerator(seed: 3)
        for n in [0, 1, 2, 3, 10, 1000] {
            let p = rng.permutation(n)
            XCTAssertEqual(p.sorted(), Array(0..<n), "n \(n)")
        }
    }

    func testPermutation_shuffles_andVariesBetweenCalls() {
        var rng = SeededGenerator(seed: 4)
        let first = rng.permutation(100)
        let second = rng.permutation(100)
        XCTAssertNotEqual(first, Array(0..<100))
        XCTAssertNotEqual(first, second)
        XCTAssertLessThan(zip(first, 0..<100).filter { $0 == $1 }.count, 10, "few fixed points expected")
    }

    func testPermutation_positionsAreRoughlyUniform() {
        var rng = SeededGenerator(seed: 5)
        var counts = [Int](repeating: 0, count: 5)  // how often element 0 lands at each position
        for _ in 0..<10_000 { counts[rng.permutation(5).firstIndex(of: 0)!] += 1 }
        for count in counts { XCTAssertEqual(Double(count), 2000, accuracy: 200, "\(counts)") }
    }

    func testNextUniform_liesInUnitInterval_withMeanOneHalf() {
        var rng = SeededGenerator(seed: 6)
        let samples = (0..<100_000).map { _ in rng.nextUniform() }
        XCTAssertTrue(samples.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)
        let variance = samples.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(samples.count)
        XCTAssertEqual(mean, 0.5, accuracy: 0.005)
        XCTAssertEqual(variance, 1.0 / 12, accuracy: 0.002)
        XCTAssertLessThan(samples.min()!, 0.001)
        XCTAssertGreaterThan(samples.max()!, 0.999)
    }

    func testNextGaussian_hasZeroMeanAndUnitVariance_over100kSamples() {
        var rng = SeededGenerator(seed: 7)
        let samples = (0..<100_000).map { _ in Double(rng.nextGaussian()) }
        XCTAssertTrue(samples.allSatisfy { $0.isFinite })
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
        // Standard errors: mean 0.0032, variance 0.0045.
        XCTAssertEqual(mean, 0, accuracy: 0.015)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
        let withinOneSigma = Double(samples.filter { abs($0) < 1 }.count) / Double(samples.count)
        XCTAssertEqual(withinOneSigma, 0.6827, accuracy: 0.01)
    }

    func testNextIndex_staysBelowBound_andCoversIt() {
        var rng = SeededGenerator(seed: 8)
        for bound in [1, 2, 7, 100] {
            let draws = (0..<2000).map { _ in rng.nextIndex(below: bound) }
            XCTAssertTrue(draws.allSatisfy { (0..<bound).contains($0) }, "bound \(bound)")
            XCTAssertEqual(Set(draws).count, bound, "bound \(bound)")
        }
    }

    func testTensorFactories_areDeterministic_andInRange() {
        var a = SeededGenerator(seed: 9)
        var b = SeededGenerator(seed: 9)
        XCTAssertEqual(Tensor.normal([4, 5], using: &a), Tensor.normal([4, 5], using: &b))
        let u = Tensor.uniform([50, 50], low: -2, high: 3, using: &a)
        XCTAssertTrue(u.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
        let s = Tensor.uniform([50, 50], scale: 4, using: &a)
        XCTAssertTrue(s.scalars.allSatisfy { $0 >= 0 && $0 < 4 })
        let n = Tensor.normal([100, 100], mean: 3, standardDeviation: 0.5, using: &a)
        XCTAssertEqual(Double(n.sum()) / 10_000, 3, accuracy: 0.02)
    }
}
