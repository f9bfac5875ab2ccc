import Foundation
import HebbModel
import HebbRules
import XCTest

@testable import HebbExperiment

/// The built-in preset catalogue against SoftHebb spec §1.7 (every model preset) and §1.8 (resolved
/// shapes and inits). Shapes are propagated here with the spec's formulas (§1.5 step 4), so these
/// tests check the presets themselves, independently of `ModelBuilder`.
final class PresetCatalogTests: XCTestCase {
    /// Every model preset of SoftHebb's presets.json (spec §1.7), spelled as there (including the
    /// misspelt `2HardCnnCIFA_speed_linearDecay`).
    static let softHebbNames = [
        "2SoftMlpMNIST", "2SoftMlpMNIST_linearDecay",
        "2SoftHebbCnnCIFAR", "2HardCnnCIFAR", "2HardCnnCIFAR_speed", "2HardCnnCIFA_speed_linearDecay",
        "2CnnCIFAR", "3CnnCIFAR", "4CnnCIFAR",
        "3SoftHebbCnnCIFAR", "3SoftHebbCnnCIFAR_wf2", "3SoftHebbCnnCIFAR_wf1", "3HardCnnCIFAR",
        "4SoftHebbCnnCIFAR", "4SoftHebbCnnCIFAR_HebbClassifier", "4SoftHebbCnnCIFAR_noBatchNorm",
        "4SoftHebbCnnCIFAR_doubleNeurons", "4SoftHebbCnnCIFAR_halfNeurons", "4SoftHebbCnnCIFAR_quarterNeurons",
        "4SoftHebbCnnCIFAR_wf2", "4SoftHebbCnnCIFAR_wf1", "4HardCnnCIFAR",
        "5SoftHebbCnnSTL", "4SoftHebbCnnSTL", "4CnnSTL", "5CnnSTL",
        "2HardCnnImNet", "3HardCnnImNet", "4HardCnnImNet", "5HardCnnImNet", "6HardCnnImNet",
        "2SoftHebbCnnImNet", "3SoftHebbCnnImNet", "4SoftHebbCnnImNet", "5SoftHebbCnnImNet",
        "2CnnImNet", "3CnnImNet", "4CnnImNet", "5CnnImNet", "6CnnImNet", "6SoftHebbCnnImNet",
    ]
    /// Presets SoftHebb's README names but its presets.json lacks (spec §1.7); hebb defines them.
    static let readmeNames = ["SoftKrotovCnnCIFAR", "5HardCnnSTL", "2HardMLPMNIST", "2HebbCnn"]
    /// hebb's other presets.
    static let hebbNames = [
        "KrotovMlpMNIST", "KrotovHopfieldMNIST", "KrotovCnnFashionMNIST", "4SoftHebbCnnMNIST", "G1_6CIFAR", "H1G2_6CIFAR", "H1_6CIFAR", "H1G2_6MNIST", "H1G2_3MNIST",
    ]

    private func library() throws -> PresetLibrary { try PresetFixture.library() }
    private func model(_ name: String) throws -> ModelConfig { try PresetFixture.model(name) }
    private func rawBlocks(_ name: String) throws -> [[String: Any]] { try PresetFixture.rawBlocks(name) }

    // MARK: - Names and parsing

    func testCatalog_containsEverySoftHebbPreset() throws {
        let names = Set(try library().names)
        for name in Self.softHebbNames { XCTAssertTrue(names.contains(name), "\(name) missing") }
        XCTAssertEqual(Self.softHebbNames.count, 41)
        XCTAssertEqual(Set(Self.softHebbNames).count, Self.softHebbNames.count, "duplicate in the test's list")
    }

    func testCatalog_isExactlySoftHebbPlusHebbPresets() throws {
        let expected = Set(Self.softHebbNames + Self.readmeNames + Self.hebbNames)
        XCTAssertEqual(Set(try library().names), expected)
    }

    func testEveryPreset_resolves_andHasOneSentenceDescription() throws {
        let library = try library()
        for name in library.names {
            let model = try library.resolve(name)
            XCTAssertGreaterThanOrEqual(model.blocks.count, 2, name)
            XCTAssertEqual(model.blocks.count, try rawBlocks(name).count, name)
            let description = library.descriptions[name, default: ""]
            XCTAssertFalse(description.isEmpty, "\(name) has no description")
            XCTAssertFalse(description.contains("\n"), name)
            XCTAssertTrue(description.hasSuffix("."), "\(name): \(description)")
        }
        for name in Self.readmeNames {
            let description = library.descriptions[name, default: ""]
            XCTAssertTrue(description.hasPrefix("hebb's definition"), "\(name): \(description)")
            XCTAssertTrue(description.contains("lacks"), "\(name): \(description)")
        }
    }

    /// The canonical rendering keeps everything that matters: parsing it gives the same layer up to
    /// fields SoftHebb parses but never uses (`m`; `a`/`rank` outside hardkrotov; Hebbian fields of
    /// BP layers; `ls` of Hebbian layers), and rendering again is stable.
    func testEveryLayerString_roundTripsThroughRenderer() throws {
        let library = try library()
        var count = 0
        for name in library.names {
            let raws = try rawBlocks(name)
            for (index, raw) in raws.enumerated() {
                let arch = try XCTUnwrap(Architecture(rawValue: raw["arch"] as? String ?? ""), "\(name) b\(index)")
                let string = try XCTUnwrap(raw["preset"] as? String)
                let parsed = try LayerString.parse(string, over: .defaults(for: arch))
                let rendered = LayerString.render(parsed)
                let reparsed = try LayerString.parse(rendered, over: .defaults(for: arch))
                XCTAssertEqual(significant(reparsed), significant(parsed), "\(name) b\(index): \(string) → \(rendered)")
                XCTAssertEqual(LayerString.render(reparsed), rendered, "\(name) b\(index)")
                XCTAssertEqual(LayerString.impliedArchitecture(of: rendered), arch, "\(name) b\(index): \(rendered)")
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 150)
    }

    private func significant(_ layer: LayerConfig) -> LayerConfig {
        var c = layer
        c.maskThreshold = 0
        if c.kind != .hardKrotov {
            c.antiHebbianStrength = 0
            c.rankingK = 0
        }
        if c.kind.isHebbian {
            c.supervisedLearningRate = 0
        } else {
            (c.learningRate, c.lebesguePower, c.powerLearningRate, c.inverseTemperature, c.radius) = (0, 0, 0, 0, 0)
            c.adaptive = false
        }
        return c
    }

    /// Block fields every preset must satisfy: CNN blocks before MLP blocks, pools only on CNN
    /// blocks, the first MLP block after images flattens, conv groups divide channels and filters.
    func testEveryPreset_blocksAreConsistent() throws {
        let library = try library()
        for name in library.names {
            let model = try library.resolve(name)
            for input in inputs(for: name) {
                let shapes = try Self.shapes(model, input: input)
                XCTAssertEqual(shapes.count, model.blocks.count, "\(name) on \(input)")
                for (index, shape) in shapes.enumerated() {
                    XCTAssertTrue(shape.allSatisfy { $0 >= 1 }, "\(name) b\(index) on \(input): \(shape)")
                }
            }
            let last = try XCTUnwrap(model.blocks.last)
            XCTAssertEqual(last.layer.arch, .mlp, name)
            XCTAssertNil(last.pool, name)
            if model.blocks[0].layer.arch == .cnn {
                let firstMlp = try XCTUnwrap(model.blocks.firstIndex { $0.layer.arch == .mlp })
                XCTAssertTrue(model.blocks[firstMlp].operations.flatten, "\(name) b\(firstMlp) must flatten")
                XCTAssertTrue(model.blocks[firstMlp...].allSatisfy { $0.layer.arch == .mlp }, name)
            }
        }
    }

    /// Inputs (C, H, W) each preset is meant for.
    private func inputs(for name: String) -> [[Int]] {
        if name == "2HebbCnn" { return [[1, 28, 28], [3, 32, 32], [3, 96, 96]] }
        if name.contains("MNIST") { return [[1, 28, 28]] }
        if name.contains("STL") { return [[3, 96, 96]] }
        if name.contains("ImNet") { return [[3, 160, 160]] }
        return [[3, 32, 32]]
    }

    // MARK: - Spec §1.8 resolved shapes and inits

    func testResolvedShapes_matchSpec18() throws {
        let cases: [(String, [Int], [[Int]])] = [
            ("2SoftHebbCnnCIFAR", [3, 32, 32], [[96, 16, 16], [10]]),
            ("3SoftHebbCnnCIFAR", [3, 32, 32], [[96, 16, 16], [384, 8, 8], [10]]),
            ("4SoftHebbCnnCIFAR", [3, 32, 32], [[96, 16, 16], [384, 8, 8], [1536, 4, 4], [10]]),
            ("4HardCnnCIFAR", [3, 32, 32], [[96, 15, 15], [384, 7, 7], [1536, 2, 2], [10]]),
            ("5SoftHebbCnnSTL", [3, 96, 96], [[96, 48, 48], [384, 24, 24], [1536, 12, 12], [6144, 6, 6], [10]]),
            ("6SoftHebbCnnImNet", [3, 160, 160], [[48, 80, 80], [192, 40, 40], [768, 20, 20], [3072, 10, 10], [12288, 5, 5], [1000]]),
            ("4SoftHebbCnnMNIST", [1, 28, 28], [[96, 14, 14], [384, 7, 7], [1536, 3, 3], [10]]),
            ("KrotovCnnFashionMNIST", [1, 28, 28], [[400, 12, 12], [10]]),
        ]
        for (name, input, expected) in cases {
            let classes = name.contains("ImNet") ? 1000 : 10
            XCTAssertEqual(try Self.shapes(model(name), input: input, classes: classes), expected, name)
        }
        let classifierInputs: [(String, [Int], Int)] = [
            ("2SoftHebbCnnCIFAR", [3, 32, 32], 24576), ("3SoftHebbCnnCIFAR", [3, 32, 32], 24576),
            ("4SoftHebbCnnCIFAR", [3, 32, 32], 24576), ("4HardCnnCIFAR", [3, 32, 32], 6144),
            ("2CnnCIFAR", [3, 32, 32], 24576), ("5SoftHebbCnnSTL", [3, 96, 96], 221184),
            ("6SoftHebbCnnImNet", [3, 160, 160], 307200), ("4SoftHebbCnnMNIST", [1, 28, 28], 13824),
            ("KrotovCnnFashionMNIST", [1, 28, 28], 57600),
        ]
        for (name, input, features) in classifierInputs {
            let shapes = try Self.shapes(model(name), input: input)
            XCTAssertEqual(shapes[shapes.count - 2].reduce(1, *), features, name)
        }
        // A last BP block gets one unit per class (spec §1.5 step 2).
        XCTAssertEqual(try Self.shapes(model("4SoftHebbCnnCIFAR"), input: [3, 32, 32], classes: 100).last, [100])
    }

    func testResolvedInits_matchSpec18() throws {
        let cases: [(String, [Int], [Float])] = [
            ("2SoftHebbCnnCIFAR", [3, 32, 32], [2.8868]),
            ("3SoftHebbCnnCIFAR", [3, 32, 32], [2.8868, 0.8505]),
            ("4SoftHebbCnnCIFAR", [3, 32, 32], [2.8868, 0.8505, 0.4253]),
            ("2HardCnnCIFAR", [3, 32, 32], [2.8868]),
            ("5SoftHebbCnnSTL", [3, 96, 96], [2.8868, 0.8505, 0.4253, 0.2126]),
            ("6SoftHebbCnnImNet", [3, 160, 160], [2.8868, 1.2028, 0.6014, 0.3007, 0.1504]),
            ("KrotovCnnFashionMNIST", [1, 28, 28], [1]),
        ]
        for (name, input, sigmas) in cases {
            let blocks = try model(name).blocks
            var channels = input[0]
            for (index, sigma) in sigmas.enumerated() {
                let layer = blocks[index].layer
                let fanIn = channels / layer.groups * layer.kernelSize * layer.kernelSize
                let normal = blocks[index].operations.normalisesInput || layer.initialisation == .normal
                XCTAssertTrue(normal, "\(name) b\(index) uses the normal init")
                let scale = WeightInitialisation.normal(radius: layer.radius, lebesguePower: layer.lebesguePower, fanIn: fanIn).scale
                XCTAssertEqual(scale, sigma, accuracy: 1e-4, "\(name) b\(index)")
                channels = layer.outChannels ?? 0
            }
        }
    }

    /// Output (C, H, W) of each block (spec §1.5 step 4); a fully connected block gives [units].
    static func shapes(_ model: ModelConfig, input: [Int], classes: Int = 10) throws -> [[Int]] {
        var shape = input
        var result: [[Int]] = []
        for (index, block) in model.blocks.enumerated() {
            let layer = block.layer
            var out = try XCTUnwrap(layer.outChannels, "\(model.name) b\(index) has no width")
            if index == model.blocks.count - 1 && !layer.kind.isHebbian { out = classes }
            switch layer.arch {
            case .mlp:
                XCTAssertTrue(shape.count == 1 || block.operations.flatten, "\(model.name) b\(index) needs flatten")
                XCTAssertNil(block.pool, "\(model.name) b\(index): pool on an MLP block")
                shape = [out]
            case .cnn:
                XCTAssertEqual(shape.count, 3, "\(model.name) b\(index): conv after a flatten")
                XCTAssertFalse(block.operations.flatten, "\(model.name) b\(index)")
                XCTAssertEqual(shape[0] % layer.groups, 0, "\(model.name) b\(index): groups must divide input channels")
                XCTAssertEqual(out % layer.groups, 0, "\(model.name) b\(index): groups must divide filters")
                func conv(_ n: Int) -> Int {
                    (n + 2 * layer.padding - layer.dilation * (layer.kernelSize - 1) - 1) / layer.stride + 1
                }
                shape = [out, conv(shape[1]), conv(shape[2])]
                if let pool = block.pool {
                    let parts = pool.split(separator: "_").map(String.init)
                    XCTAssertEqual(parts.count, 4, "\(model.name) b\(index): pool '\(pool)'")
                    XCTAssertTrue(["max", "avg"].contains(parts[0]), "\(model.name) b\(index): pool '\(pool)'")
                    let numbers = parts.dropFirst().compactMap { Int($0) }
                    XCTAssertEqual(numbers.count, 3, "\(model.name) b\(index): pool '\(pool)'")
                    let (k, s, p) = (numbers[0], numbers[1], numbers[2])
                    XCTAssertTrue(k > 0 && s > 0 && p >= 0 && 2 * p <= k, "\(model.name) b\(index): pool '\(pool)'")
                    shape = [shape[0], (shape[1] + 2 * p - k) / s + 1, (shape[2] + 2 * p - k) / s + 1]
                }
            }
            result.append(shape)
        }
        return result
    }

}

/// Preset access shared by the catalogue and spot-check tests.
enum PresetFixture {
    static func library() throws -> PresetLibrary { try PresetLibrary.builtin() }

    static func model(_ name: String) throws -> ModelConfig { try library().resolve(name) }

    /// The raw block objects of a preset, from the embedded presets.json.
    static func rawBlocks(_ name: String) throws -> [[String: Any]] {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(BuiltinPresets.json.utf8)) as? [String: Any])
        let models = try XCTUnwrap(root["model"] as? [String: Any])
        let entry = try XCTUnwrap(models[name] as? [String: Any], name)
        return (0..<entry.count).compactMap { entry["b\($0)"] as? [String: Any] }
    }
}
