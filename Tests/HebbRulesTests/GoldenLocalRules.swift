import Foundation
import HebbRules
import HebbTensor
import XCTest

/// The decoded golden file written by `scripts/reference/local_rules.py` (flat row-major arrays).
struct GoldenLocalRules: Decodable {
    /// Oja and plain Hebb on fully connected inputs.
    struct Classic: Decodable {
        var name: String, rule: String, M: Int, N: Int, O: Int, eta: Float
        var weightDecay: Float?, unitNormalisation: Bool?
        var x: [Float], W: [Float], u: [Float], deltaW: [Float], updated: [Float]
    }

    /// Lagani's rule; conv cases also carry the image geometry (`W_` is the image width).
    struct Competitive: Decodable {
        struct Map: Decodable { var map: [Int], tau: Float, updateIndex: Int }
        struct Teacher: Decodable { var targets: [Int32], kernelsPerClass: Int, classCount: Int }
        var name: String, M: Int, N: Int, O: Int, eta: Float
        var rule: String?, similarity: String?, modulation: String?, loserValue: Float?
        var som: Map?, teacher: Teacher?
        var B: Int?, C: Int?, H: Int?, W_: Int?, kernel: Int?
        var x: [Float], W: [Float], s: [Float], r: [Float]?, deltaW: [Float], updated: [Float]
    }

    var classic: [Classic]
    var wta: [Competitive]
    var conv: [Competitive]

    /// Loads `Golden/local_rules.json` next to this file (also read by the model and experiment
    /// tests through `path`).
    static func load() throws -> GoldenLocalRules {
        try JSONDecoder().decode(GoldenLocalRules.self, from: Data(contentsOf: path))
    }

    static var path: URL {
        URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Golden/local_rules.json")
    }
}

extension GoldenLocalRules.Competitive {
    /// The Swift rule for this case at its update index (base/hebb, loser value, SOM, teacher).
    var laganiRule: LaganiWinnerTakeAll {
        LaganiWinnerTakeAll(
            modulation: LaganiWinnerTakeAll.Modulation(rawValue: modulation ?? "base") ?? .base,
            response: similarity == "angular" ? .raisedCosineSquared : .current,
            loserValue: loserValue ?? 0,
            neighbourhood: som.map { SelfOrganisingNeighbourhood(mapShape: $0.map, timeConstant: $0.tau, updateIndex: $0.updateIndex) },
            teacher: teacher.map {
                let positions = M / max(1, $0.targets.count)
                return ClassTeacher(
                    targets: $0.targets.flatMap { [Int32](repeating: $0, count: positions) },
                    kernelsPerClass: $0.kernelsPerClass, classCount: $0.classCount)
            })
    }
}
