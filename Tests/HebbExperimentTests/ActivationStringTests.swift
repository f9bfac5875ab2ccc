import HebbModel
import XCTest

@testable import HebbExperiment

final class ActivationStringTests: XCTestCase {
    func testParse_namesAndParameters_giveActivations() throws {
        let cases: [(String, Activation)] = [
            ("relu", .relu), ("repu", .repu(power: 1)), ("repu_4.5", .repu(power: 4.5)),
            ("triangle", .triangle(power: 1)), ("triangle_0.7", .triangle(power: 0.7)),
            ("softmax", .softmax(inverseTemperature: 1)), ("softmax_5", .softmax(inverseTemperature: 5)),
            ("sigmoid", .sigmoid(beta: 10)), ("tanh_2", .tanh(beta: 2)), ("exp_3", .exponential(inverseTemperature: 3)),
            ("hard", .hardMax), ("none", .identity), ("", .identity),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try ActivationString.parse(text), expected, text)
        }
    }

    func testRenderParse_roundTrip() throws {
        let activations: [Activation] = [
            .identity, .relu, .repu(power: 4.5), .triangle(power: 0.7), .softmax(inverseTemperature: 5),
            .sigmoid(beta: 10), .tanh(beta: 2), .exponential(inverseTemperature: 3), .hardMax,
        ]
        for activation in activations {
            XCTAssertEqual(try ActivationString.parse(ActivationString.render(activation)), activation, "\(activation)")
        }
    }

    func testParse_unknownName_suggestsClosest() {
        XCTAssertThrowsError(try ActivationString.parse("trangle_0.7")) { error in
            XCTAssertTrue("\(error)".contains("unknown activation 'trangle'"), "\(error)")
            XCTAssertTrue("\(error)".contains("did you mean 'triangle'?"), "\(error)")
        }
        XCTAssertThrowsError(try ActivationString.parse("qqqqqqqq")) { error in
            XCTAssertTrue("\(error)".contains("activations: relu"), "\(error)")
        }
    }

    func testParse_badParameter_isAnError() {
        XCTAssertThrowsError(try ActivationString.parse("softmax_five")) { error in
            XCTAssertTrue("\(error)".contains("'five' is not a finite number"), "\(error)")
        }
    }

    /// Found by fuzzing: `Float("nan")` and `Float("1e39")` parse, so these used to be accepted.
    func testParse_nanInfOrOverflowingParameter_isAnError() {
        for text in ["triangle_nan", "softmax_inf", "repu_-Infinity", "sigmoid_1e39", "tanh_NaN"] {
            XCTAssertThrowsError(try ActivationString.parse(text), text) { error in
                XCTAssertTrue("\(error)".contains("is not a finite number"), "\(error)")
            }
        }
    }
}
