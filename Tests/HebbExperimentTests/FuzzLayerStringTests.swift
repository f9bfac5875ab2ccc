import HebbModel
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Deterministic fuzzing of `--preset` values: layer strings with block attributes, and preset
/// names. Every input must resolve to a model whose numbers are finite and whose dimension pass
/// either succeeds or throws, or must throw a one-line `ConfigError`.
final class FuzzLayerStringTests: XCTestCase {
    /// Valid `--preset` values covering every prefix, token, attribute and activation.
    static let seeds = [
        "soft-c2000-t12-lr0.045-r35:softmax_5+BP-c10",
        "softkrotov-c96-k5-p2-t1-lr0.08-lp0.5:batchnorm2d:triangle_0.7:max_4_2_1+BP-c10:dropout0.5",
        "hardkrotov-c300-lr0.02-ls0.003-lb3-lp0.4-t7-b0-a0.4-rank5-r12.5-v0+BP-c10",
        "softkrotov-c96-k5-p2-s1-d1-b0-t1-lr0.08-lp0.5-e0:avg_4_2_1+BP-c10:flatten",
        "Soft-c96-k3-p1-g1-m0:bn:relu:avg_2_2_0+soft-c384-k3-p1-g4-e1:outbn:repu_4.5+BP-c10",
        "hard-c100-lr0.01:hard+soft-c50:sigmoid_10+BP-c10:tanh_1",
        "soft-c20:exp_1+supervisedsoftkrotov-c10-t1-lr0.01:none",
        "BP-c64-k3-p1-s2-d2-ls0.01-b1:batchnorm1d:relu+BP-c10",
        "2SoftMlpMNIST", "4SoftHebbCnnCIFAR", "KrotovMlpMNIST",
    ]

    /// Words worth splicing in: keys, prefixes, attributes, activations and separators.
    static let dictionary = [
        "c", "lr", "ls", "lb", "lp", "t", "b", "a", "rank", "r", "v", "k", "d", "p", "s", "m", "g", "e",
        "BP", "hard", "hardkrotov", "soft", "softkrotov", "supervisedsoftkrotov", "SOFT", "flatten", "bn",
        "batchnorm1d", "batchnorm2d", "outbn", "dropout", "dropout0.5", "max_4_2_1", "avg_2_2_0", "max_",
        "softmax_", "triangle_", "relu", "repu_", "sigmoid_", "tanh_", "exp_", "none", "-", "+", ":", "_",
        "--", "++", "::", "c999999999", "k99999", "p9223372036854775807", "s0", "g7", "rank999",
    ]

    /// MNIST-shaped and CIFAR-shaped inputs for the dimension pass.
    private let shapes = [
        DataShape(channels: 1, height: 28, width: 28, classCount: 10),
        DataShape(channels: 3, height: 32, width: 32, classCount: 10),
    ]

    func testFuzz_layerStrings_endInValidModelOrOneLineConfigError() throws {
        let library = try PresetLibrary.builtin()
        runFuzzCampaign(
            kind: "layer-strings", expecting: ConfigError.self,
            makeInput: { mutator, _ in
                // A third keep the syntax and set one number to an extreme; the rest are garbled.
                let seed = mutator.pick(Self.seeds)
                let separators: [Character] = ["-", "+", ":", "_"]
                return mutator.chance(0.35)
                    ? mutator.replacingTokenValue(seed, separators: separators)
                    : mutator.mutate(seed, separators: separators, dictionary: Self.dictionary, maxMutations: 4)
            },
            describe: { $0 },
            parse: { text in
                let model = try library.resolve(text)
                if let problem = Self.problem(in: model) { return problem }
                for shape in self.shapes { _ = try? ModelBuilder.resolve(model, data: shape) }
                return nil
            })
    }

    /// Non-finite numbers or out-of-range values in a resolved model, or nil.
    static func problem(in model: ModelConfig) -> String? {
        for (index, block) in model.blocks.enumerated() {
            let layer = block.layer
            let numbers: [(String, Float)] = [
                ("learningRate", layer.learningRate), ("supervisedLearningRate", layer.supervisedLearningRate),
                ("lebesguePower", layer.lebesguePower), ("powerLearningRate", layer.powerLearningRate),
                ("inverseTemperature", layer.inverseTemperature), ("antiHebbianStrength", layer.antiHebbianStrength),
                ("radius", layer.radius), ("maskThreshold", layer.maskThreshold),
                ("activation parameter", activationParameter(block.activation)),
            ]
            for (name, value) in numbers where !value.isFinite { return "block \(index) \(name) is \(value)" }
            if let p = block.dropout, !(p >= 0 && p < 1) { return "block \(index) dropout is \(p)" }
            if let c = layer.outChannels, c <= 0 { return "block \(index) has \(c) units" }
            if layer.radius <= 0 || layer.lebesguePower < 1 { return "block \(index) radius/lb out of range" }
        }
        return nil
    }

    /// The parameter of a parameterised activation (0 for the others).
    static func activationParameter(_ activation: Activation) -> Float {
        switch activation {
        case .repu(let q), .triangle(let q): return q
        case .softmax(let t), .exponential(let t): return t
        case .sigmoid(let b), .tanh(let b): return b
        case .identity, .relu, .hardMax: return 0
        }
    }
}
