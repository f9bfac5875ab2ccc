import HebbRules
import HebbTensor
import HebbTestSupport
import XCTest

/// Lebesgue-norm init scales against the NumPy reference, and the radius of sampled weights.
final class WeightInitialisationTests: XCTestCase {
    func testScales_matchReference_forEveryGoldenEntry() throws {
        let golden = try GoldenRules.load()
        XCTAssertEqual(golden.initScales.count, 8)
        for s in golden.initScales {
            let label = "p \(s.p) radius \(s.radius) fanIn \(s.fanIn)"
            let normal = WeightInitialisation.normal(radius: s.radius, lebesguePower: s.p, fanIn: s.fanIn)
            let uniform = WeightInitialisation.positiveUniform(radius: s.radius, lebesguePower: s.p, fanIn: s.fanIn)
            XCTAssertEqual(normal, .normal(standardDeviation: normal.scale), label)
            XCTAssertEqual(uniform, .positiveUniform(range: uniform.scale), label)
            assertClose([normal.scale], [s.normalStd], atol: 0, rtol: 1e-5, label)
            assertClose([uniform.scale], [s.uniformRange], atol: 0, rtol: 1e-5, label)
        }
    }

    func testNormalScale_forP2Radius25FanIn75_isKnownValue() {
        // σ = (25² / 75)^(1/2) = 2.8868 (the SoftHebb value quoted in the reference script).
        let scale = WeightInitialisation.normal(radius: 25, lebesguePower: 2, fanIn: 75).scale
        XCTAssertEqual(scale, 2.886_751, accuracy: 1e-5)
    }

    func testNormalSample_hasExpectedRadius_onAverage() {
        var rng = SeededGenerator(seed: 5)
        for p: Float in [2, 3] {
            let initialisation = WeightInitialisation.normal(radius: 4, lebesguePower: p, fanIn: 200)
            let w = initialisation.sample([400, 200], using: &rng)
            XCTAssertEqual(w.shape, [400, 200])
            // E Σ|w|^p = R^p by construction; the mean of r^p over rows estimates it.
            let meanPower = w.normsRows(p: p).scalars.map { Double(powf($0, p)) }.reduce(0, +) / 400
            XCTAssertEqual(meanPower, Double(powf(4, p)), accuracy: 0.03 * Double(powf(4, p)), "p \(p)")
            XCTAssertTrue(w.scalars.contains { $0 < 0 }, "normal init is signed")
        }
    }

    func testPositiveUniformSample_isNonNegative_andHasExpectedRadius() {
        var rng = SeededGenerator(seed: 6)
        for p: Float in [2, 3] {
            let initialisation = WeightInitialisation.positiveUniform(radius: 5, lebesguePower: p, fanIn: 100)
            let w = initialisation.sample([300, 100], using: &rng)
            XCTAssertTrue(w.scalars.allSatisfy { $0 >= 0 && $0 < initialisation.scale })
            let meanPower = w.normsRows(p: p).scalars.map { Double(powf($0, p)) }.reduce(0, +) / 300
            XCTAssertEqual(meanPower, Double(powf(5, p)), accuracy: 0.03 * Double(powf(5, p)), "p \(p)")
        }
    }

    func testSample_isDeterministic_forTheSameSeed() {
        let initialisation = WeightInitialisation.normal(radius: 1, lebesguePower: 2, fanIn: 10)
        var a = SeededGenerator(seed: 77)
        var b = SeededGenerator(seed: 77)
        XCTAssertEqual(initialisation.sample([3, 10], using: &a), initialisation.sample([3, 10], using: &b))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
