import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// Every activation's `backward` against central differences of L = Σ g⊙forward(x) (see
/// `GradientCheck` for step and tolerances). Layout for channel-wise cases: C = 3, P = 2.
final class ActivationGradientTests: XCTestCase {
    private let shape = [2, 6]
    private let channels = 3

    /// Analytic vs numerical input gradient of `activation` at `x` for a fixed random `g`.
    private func check(
        _ activation: Activation, at x: Tensor, seed: UInt64 = 11,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let g = GradientCheck.uniform(x.shape, seed: seed)
        let y = activation.forward(x, channels: channels)
        let analytic = activation.backward(input: x, output: y, gradient: g, channels: channels)
        let numeric = numericalGradient(at: x, step: GradientCheck.step) {
            weightedSum(activation.forward($0, channels: self.channels), g)
        }
        GradientCheck.assertMatches(analytic, numeric, "\(activation)", file: file, line: line)
    }

    func testBackward_identity_matchesCentralDifferences() {
        check(.identity, at: GradientCheck.uniform(shape, seed: 1))
    }

    func testBackward_relu_matchesCentralDifferences() {
        check(.relu, at: GradientCheck.awayFromZero(shape, seed: 2))
    }

    func testBackward_repu_powers_matchCentralDifferences() {
        for power: Float in [0.5, 1, 2, 3, 4.5] {
            check(.repu(power: power), at: GradientCheck.awayFromZero(shape, seed: 3))
        }
    }

    func testBackward_softmax_matchesCentralDifferences() {
        for t: Float in [1, 5] {
            check(.softmax(inverseTemperature: t), at: GradientCheck.uniform(shape, seed: 4))
        }
    }

    func testBackward_sigmoid_matchesCentralDifferences() {
        check(.sigmoid(beta: 1), at: GradientCheck.uniform(shape, seed: 5))
        // β = 10 saturates beyond |x| ≈ 0.5; keep the inputs where the slope is informative.
        check(.sigmoid(beta: 10), at: GradientCheck.uniform(shape, low: -0.3, high: 0.3, seed: 5))
    }

    func testBackward_tanh_matchesCentralDifferences() {
        for beta: Float in [1, 3] {
            check(.tanh(beta: beta), at: GradientCheck.uniform(shape, seed: 6))
        }
    }

    func testBackward_exponential_matchesCentralDifferences() {
        for t: Float in [1, 2] {
            check(.exponential(inverseTemperature: t), at: GradientCheck.uniform(shape, seed: 7))
        }
    }

    func testBackward_hardMax_isZero() {
        let x = GradientCheck.uniform(shape, seed: 8)
        let y = Activation.hardMax.forward(x, channels: channels)
        let g = GradientCheck.uniform(shape, seed: 9)
        XCTAssertEqual(Activation.hardMax.backward(input: x, output: y, gradient: g, channels: channels), .zeros(shape))
    }

    /// Per-(sample, position) channel means, the constant the triangle gradient treats as fixed.
    private func channelMeans(_ x: Tensor) -> Tensor {
        let positions = x.columns / channels
        var means = Tensor.zeros(x.shape)
        for r in 0..<x.rows {
            for p in 0..<positions {
                let indices = (0..<channels).map { r * x.columns + $0 * positions + p }
                let mean = indices.reduce(Float(0)) { $0 + x.scalars[$1] } / Float(channels)
                for i in indices { means.scalars[i] = mean }
            }
        }
        return means
    }

    /// A triangle input whose centred values all sit ≥ 0.1 away from the kink at 0.
    private var triangleInput: Tensor {
        // Sample 0: position 0 channels (0.9, −0.4, 0.1), mean 0.2; position 1 (−0.7, 0.5, 0.8), mean 0.2.
        // Sample 1: position 0 channels (0.6, 1.1, −0.5), mean 0.4; position 1 (2.0, 0.2, −0.6), mean 0.5333.
        Tensor(shape: shape, scalars: [0.9, -0.7, -0.4, 0.5, 0.1, 0.8, 0.6, 2.0, 1.1, 0.2, -0.5, -0.6])
    }

    func testBackward_triangle_matchesTheDerivativeWithTheChannelMeanHeldConstant() {
        let x = triangleInput
        let means = channelMeans(x)
        XCTAssertGreaterThan((x - means).scalars.map { Swift.abs($0) }.min()!, 0.09, "input too close to a kink")
        for power: Float in [0.7, 1, 2] {
            let activation = Activation.triangle(power: power)
            let g = GradientCheck.uniform(shape, seed: 10)
            let y = activation.forward(x, channels: channels)
            XCTAssertEqual(y, Activation.repu(power: power).forward(x - means, channels: channels))
            let analytic = activation.backward(input: x, output: y, gradient: g, channels: channels)
            // Perturb x with the means frozen at their unperturbed values (SoftHebb's `.data` mean).
            let numeric = numericalGradient(at: x, step: GradientCheck.step) {
                weightedSum(Activation.repu(power: power).forward($0 - means, channels: self.channels), g)
            }
            GradientCheck.assertMatches(analytic, numeric, "triangle \(power)")
        }
    }

    func testBackward_triangle_differsFromTheFullDerivative_becauseTheMeanIsDetached() {
        let x = triangleInput
        let activation = Activation.triangle(power: 1)
        let g = GradientCheck.uniform(shape, seed: 10)
        let y = activation.forward(x, channels: channels)
        let analytic = activation.backward(input: x, output: y, gradient: g, channels: channels)
        let full = numericalGradient(at: x, step: GradientCheck.step) {
            weightedSum(activation.forward($0, channels: self.channels), g)
        }
        // The full derivative adds −(1/C)·Σ_active g at every channel of a position.
        XCTAssertGreaterThan((analytic - full).maxAbsolute(), 0.05)
    }

    func testBackward_relu_atExactlyZero_passesNoGradient() {
        let x = Tensor(shape: [1, 3], scalars: [0, -1, 1])
        let y = Activation.relu.forward(x, channels: 3)
        let dx = Activation.relu.backward(input: x, output: y, gradient: Tensor(repeating: 1, shape: [1, 3]), channels: 3)
        XCTAssertEqual(dx, Tensor(shape: [1, 3], scalars: [0, 0, 1]))
    }
}
