import Foundation
import HebbRules
import HebbTensor
import XCTest

/// The decoded golden file written by `scripts/reference/hebbian_rules.py` (flat row-major arrays).
struct GoldenRules: Decodable {
    struct Case: Decodable {
        var name: String
        var rule: String
        var M: Int
        var N: Int
        var O: Int
        var t: Float
        var p: Float
        var rankingK: Int
        var delta: Float
        var x: [Float]
        var W: [Float]
        var u: [Float]
        var y: [Float]
        var deltaW: [Float]
        var radii: [Float]
    }

    struct Step: Decodable {
        var x: [Float]
        var u: [Float]
        var y: [Float]
        var deltaW: [Float]
        var radiiBefore: [Float]
        var eta: [Float]
        var W: [Float]
        var radiiAfter: [Float]
    }

    struct Schedule: Decodable {
        var rule: String
        var t: Float
        var p: Float
        var M: Int
        var N: Int
        var O: Int
        var W0: [Float]
        var steps: [Step]
        // Radius-adaptive only.
        var lr: Float
        var powerLR: Float?
        // Linear decay only.
        var nbEpochs: Int?
        var batchSize: Int?
        var trainingSample: Int?
        var etaAfter: [Float]?
    }

    struct Schedules: Decodable {
        var adaptive: Schedule
        var linearDecay: Schedule
    }

    struct InitScale: Decodable {
        var p: Float
        var radius: Float
        var fanIn: Int
        var normalStd: Float
        var uniformRange: Float
    }

    var cases: [Case]
    var schedules: Schedules
    var initScales: [InitScale]

    /// Loads `Golden/rules.json` from the test bundle, falling back to the source tree.
    static func load(file: StaticString = #filePath, line: UInt = #line) throws -> GoldenRules {
        let bundled = Bundle.module.url(forResource: "rules", withExtension: "json", subdirectory: "Golden")
        let fallback = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent()
            .appendingPathComponent("Golden/rules.json")
        let url = try XCTUnwrap(
            bundled ?? (FileManager.default.fileExists(atPath: fallback.path) ? fallback : nil),
            "Golden/rules.json not found", file: file, line: line)
        return try JSONDecoder().decode(GoldenRules.self, from: Data(contentsOf: url))
    }
}

/// The Swift rule for a golden `rule` name.
func goldenRule(_ name: String, t: Float, k: Int, delta: Float) -> any LearningRule {
    switch name {
    case "hard": return HardWinnerTakeAll()
    case "soft": return SoftHebb(inverseTemperature: t, antiHebbian: false)
    case "softkrotov": return SoftHebb(inverseTemperature: t, antiHebbian: true)
    case "hardkrotov": return KrotovHopfield(rankingK: k, antiHebbianStrength: delta)
    default: preconditionFailure("unknown golden rule \(name)")
    }
}

/// `u = x·ŵᵀ` with ŵ = sign(W)·|W|^(p−1), as a Hebbian layer computes it.
func goldenCurrents(inputs x: Tensor, weights w: Tensor, p: Float) -> Tensor {
    Tensor.matmul(x, w.signedPower(p - 1), transposeB: true)
}
