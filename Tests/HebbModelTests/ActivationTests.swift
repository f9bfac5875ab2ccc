import Foundation
import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// Forward values of every activation on small hand-computed inputs.
///
/// Rows are samples; a row holds C channels × P positions, channel-major, so for C = 3, P = 2
/// the row is [c0p0, c0p1, c1p0, c1p1, c2p0, c2p1].
final class ActivationTests: XCTestCase {
    private let elementwise = Tensor(shape: [2, 3], scalars: [-1, 0, 2, 3, -0.5, 0.5])

    func testIdentity_forward_returnsTheInput() {
        XCTAssertEqual(Activation.identity.forward(elementwise, channels: 3), elementwise)
    }

    func testRelu_forward_zeroesNonPositiveValues() {
        let y = Activation.relu.forward(elementwise, channels: 3)
        XCTAssertEqual(y, Tensor(shape: [2, 3], scalars: [0, 0, 2, 3, 0, 0.5]))
    }

    func testRepu_power2_squaresThePositivePart() {
        let y = Activation.repu(power: 2).forward(elementwise, channels: 3)
        XCTAssertEqual(y, Tensor(shape: [2, 3], scalars: [0, 0, 4, 9, 0, 0.25]))
    }

    func testRepu_power1_equalsRelu() {
        XCTAssertEqual(
            Activation.repu(power: 1).forward(elementwise, channels: 3),
            Activation.relu.forward(elementwise, channels: 3))
    }

    func testTriangle_threeChannelsTwoPositions_subtractsTheChannelMeanAtEachPosition() {
        // Sample 0: position 0 has channels (1, 2, 6), mean 3 → relu(−2, −1, 3) = (0, 0, 3);
        //           position 1 has channels (4, 0, 2), mean 2 → relu(2, −2, 0) = (2, 0, 0).
        // Sample 1: position 0 has channels (−3, 0, 0), mean −1 → (0, 1, 1);
        //           position 1 has channels (5, 5, 5), mean 5 → (0, 0, 0).
        let x = Tensor(shape: [2, 6], scalars: [1, 4, 2, 0, 6, 2, -3, 5, 0, 5, 0, 5])
        let y = Activation.triangle(power: 1).forward(x, channels: 3)
        XCTAssertEqual(y, Tensor(shape: [2, 6], scalars: [0, 2, 0, 0, 3, 0, 0, 0, 1, 0, 1, 0]))
    }

    func testTriangle_power2_squaresTheCentredPositivePart() {
        let x = Tensor(shape: [1, 6], scalars: [1, 4, 2, 0, 6, 2])
        let y = Activation.triangle(power: 2).forward(x, channels: 3)
        XCTAssertEqual(y, Tensor(shape: [1, 6], scalars: [0, 4, 0, 0, 9, 0]))
    }

    func testTriangle_onePositionPerChannel_meanIsOverTheWholeRow() {
        // P = 1 (MLP): mean of (1, 2, 6) is 3.
        let x = Tensor(shape: [1, 3], scalars: [1, 2, 6])
        XCTAssertEqual(
            Activation.triangle(power: 1).forward(x, channels: 3), Tensor(shape: [1, 3], scalars: [0, 0, 3]))
    }

    func testSoftmax_threeChannelsTwoPositions_normalisesOverChannelsAtEachPosition() {
        // Position 0: channels (0, ln 2, ln 5) → (1, 2, 5)/8; position 1: (1, 1, 1) → 1/3 each.
        let ln2 = Float(log(2.0)), ln5 = Float(log(5.0))
        let x = Tensor(shape: [1, 6], scalars: [0, 1, ln2, 1, ln5, 1])
        let y = Activation.softmax(inverseTemperature: 1).forward(x, channels: 3)
        assertClose(y, Tensor(shape: [1, 6], scalars: [0.125, 1.0 / 3, 0.25, 1.0 / 3, 0.625, 1.0 / 3]), atol: 1e-6)
        // Each position sums to one; the whole row does not.
        XCTAssertEqual(y.scalars[0] + y.scalars[2] + y.scalars[4], 1, accuracy: 1e-6)
        XCTAssertEqual(y.scalars[1] + y.scalars[3] + y.scalars[5], 1, accuracy: 1e-6)
    }

    func testSoftmax_inverseTemperature2_scalesTheInputsFirst() {
        let ln2 = Float(log(2.0)), ln5 = Float(log(5.0))
        let x = Tensor(shape: [2, 3], scalars: [0, ln2 / 2, ln5 / 2, 7, 7, 7])
        let y = Activation.softmax(inverseTemperature: 2).forward(x, channels: 3)
        assertClose(y, Tensor(shape: [2, 3], scalars: [0.125, 0.25, 0.625, 1.0 / 3, 1.0 / 3, 1.0 / 3]), atol: 1e-6)
    }

    func testSoftmax_largeInputs_doesNotOverflow() {
        let x = Tensor(shape: [1, 3], scalars: [1000, 1000, 1000 + Float(log(2.0))])
        let y = Activation.softmax(inverseTemperature: 1).forward(x, channels: 3)
        XCTAssertTrue(y.isFinite)
        assertClose(y, Tensor(shape: [1, 3], scalars: [0.25, 0.25, 0.5]), atol: 1e-4)
    }

    func testSigmoid_beta10_isTheLogisticOfTenTimesTheInput() {
        let x = Tensor(shape: [2, 3], scalars: [0, 0.1, -0.1, 0.2, -0.2, 5])
        let y = Activation.sigmoid(beta: 10).forward(x, channels: 3)
        let (s1, s2): (Float, Float) = (0.7310585786, 0.8807970780)
        assertClose(y, Tensor(shape: [2, 3], scalars: [0.5, s1, 1 - s1, s2, 1 - s2, 1]), atol: 1e-6)
    }

    func testTanh_beta2_isTanhOfTwiceTheInput() {
        let x = Tensor(shape: [1, 3], scalars: [0, 0.5, -0.5])
        let t1: Float = 0.7615941560
        assertClose(Activation.tanh(beta: 2).forward(x, channels: 3), Tensor(shape: [1, 3], scalars: [0, t1, -t1]), atol: 1e-6)
    }

    func testExponential_inverseTemperature2_isExpOfTwiceTheInput() {
        let x = Tensor(shape: [1, 3], scalars: [0, 0.5, -0.5])
        let e: Float = 2.7182818285
        assertClose(
            Activation.exponential(inverseTemperature: 2).forward(x, channels: 3),
            Tensor(shape: [1, 3], scalars: [1, e, 1 / e]), atol: 0, rtol: 1e-6)
    }

    func testHardMax_threeChannelsTwoPositions_isOneHotAtEachPosition() {
        // Position 0: channels (1, 2, 6) → channel 2; position 1: (4, 0, 2) → channel 0.
        let x = Tensor(shape: [1, 6], scalars: [1, 4, 2, 0, 6, 2])
        XCTAssertEqual(
            Activation.hardMax.forward(x, channels: 3), Tensor(shape: [1, 6], scalars: [0, 1, 0, 0, 1, 0]))
    }

    func testHardMax_ties_pickTheLowestChannel() {
        let x = Tensor(shape: [2, 3], scalars: [2, 2, 1, -1, -1, -1])
        XCTAssertEqual(
            Activation.hardMax.forward(x, channels: 3), Tensor(shape: [2, 3], scalars: [1, 0, 0, 1, 0, 0]))
    }

    func testHardMax_backward_isZero() {
        let x = Tensor(shape: [1, 6], scalars: [1, 4, 2, 0, 6, 2])
        let y = Activation.hardMax.forward(x, channels: 3)
        let dy = Tensor(shape: [1, 6], scalars: [1, -2, 3, -4, 5, -6])
        XCTAssertEqual(
            Activation.hardMax.backward(input: x, output: y, gradient: dy, channels: 3), Tensor.zeros([1, 6]))
    }

    func testForward_doesNotModifyTheInput() {
        let x = Tensor(shape: [1, 6], scalars: [1, 4, 2, 0, 6, 2])
        let copy = x
        for activation in [Activation.relu, .triangle(power: 1), .softmax(inverseTemperature: 1), .hardMax] {
            _ = activation.forward(x, channels: 3)
        }
        XCTAssertEqual(x, copy)
    }

    func testCodable_roundTrip_preservesCaseAndParameter() throws {
        let all: [Activation] = [
            .identity, .relu, .repu(power: 2), .triangle(power: 0.7), .softmax(inverseTemperature: 3),
            .sigmoid(beta: 10), .tanh(beta: 2), .exponential(inverseTemperature: 1), .hardMax,
        ]
        let data = try JSONEncoder().encode(all)
        XCTAssertEqual(try JSONDecoder().decode([Activation].self, from: data), all)
    }
}
