import Foundation
import HebbModel
import HebbRules
import XCTest

@testable import HebbExperiment

final class PresetLibraryTests: XCTestCase {
    private let mnist = DataShape(channels: 1, height: 28, width: 28, classCount: 10)

    private func resolved(_ name: String) throws -> ResolvedModel {
        try ModelBuilder.resolve(PresetLibrary.builtin().resolve(name), data: mnist)
    }

    /// The error `body` throws, as a `ConfigError`, or a failure.
    private func configError<T>(
        file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
    ) -> ConfigError? {
        do {
            _ = try body()
            XCTFail("no error", file: file, line: line)
        } catch let error as ConfigError {
            XCTAssertFalse(error.description.contains("\n"), error.description, file: file, line: line)
            return error
        } catch {
            XCTFail("not a ConfigError: \(error)", file: file, line: line)
        }
        return nil
    }

    private func makeLibrary(_ json: String) throws -> PresetLibrary {
        try PresetLibrary(json: Data(json.utf8), source: "test.json")
    }

    // MARK: - Built-in presets

    func testBuiltin_names_includePaperPresets() throws {
        let names = try PresetLibrary.builtin().names
        for name in ["2SoftMlpMNIST", "2SoftMlpMNIST_linearDecay", "KrotovMlpMNIST"] {
            XCTAssertTrue(names.contains(name), "\(name) missing from \(names)")
        }
        XCTAssertEqual(names, names.sorted())
        XCTAssertFalse(try PresetLibrary.builtin().descriptions["KrotovMlpMNIST", default: ""].isEmpty)
    }

    func testBuiltinPresets_embedExactlyPresetsJSON() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = root.appendingPathComponent("presets/presets.json")
        let onDisk = try String(contentsOf: file, encoding: .utf8)
        XCTAssertEqual(
            BuiltinPresets.json + "\n", onDisk,
            "Sources/HebbExperiment/Config/BuiltinPresets.swift differs from presets/presets.json; run scripts/embed-presets.sh")
        XCTAssertEqual(try PresetLibrary.load(from: file).names, try PresetLibrary.builtin().names)
    }

    func testResolve_2SoftMlpMNIST_matchesSoftHebb() throws {
        let model = try resolved("2SoftMlpMNIST")
        XCTAssertEqual(model.name, "2SoftMlpMNIST")
        XCTAssertEqual(model.blocks.count, 2)
        let b0 = model.blocks[0]
        XCTAssertEqual(b0.config.layer.kind, .soft)
        XCTAssertEqual([b0.inputFeatures, b0.outputFeatures], [784, 2000])
        XCTAssertTrue(b0.config.operations.flatten)
        guard case .positiveUniform(let range)? = b0.initialisation else {
            return XCTFail("b0 init \(String(describing: b0.initialisation))")
        }
        XCTAssertEqual(range, 2.1651, accuracy: 1e-3)
        XCTAssertEqual(b0.config.layer.inverseTemperature, 12)
        XCTAssertEqual(b0.config.layer.learningRate, 0.045)
        XCTAssertEqual(b0.config.layer.radius, 35)
        XCTAssertTrue(b0.config.layer.adaptive)
        XCTAssertEqual(b0.config.activation, .softmax(inverseTemperature: 5))
        XCTAssertNil(b0.config.dropout)
        let b1 = model.blocks[1]
        XCTAssertEqual(b1.config.layer.kind, .backprop)
        XCTAssertEqual([b1.inputFeatures, b1.outputFeatures], [2000, 10])
        XCTAssertEqual(b1.config.layer.outChannels, 10)
        XCTAssertNil(b1.initialisation)
        XCTAssertEqual(b1.config.activation, .identity)
    }

    func testResolve_linearDecay_isNotAdaptive() throws {
        let model = try resolved("2SoftMlpMNIST_linearDecay")
        XCTAssertFalse(model.blocks[0].config.layer.adaptive)
        XCTAssertEqual(model.blocks[0].config.layer.learningRate, 0.045)
    }

    func testResolve_KrotovMlpMNIST_hardKrotovWithNormalInit() throws {
        let model = try resolved("KrotovMlpMNIST")
        let layer = model.blocks[0].config.layer
        XCTAssertEqual(layer.kind, .hardKrotov)
        XCTAssertEqual(layer.lebesguePower, 3)
        XCTAssertEqual(layer.rankingK, 7)
        XCTAssertEqual(layer.antiHebbianStrength, 0.4)
        XCTAssertEqual(layer.learningRate, 0.04)
        XCTAssertFalse(layer.adaptive)
        XCTAssertEqual(layer.initialisation, .normal)
        guard case .normal(let sigma)? = model.blocks[0].initialisation else {
            return XCTFail("b0 init \(String(describing: model.blocks[0].initialisation))")
        }
        XCTAssertEqual(sigma, WeightInitialisation.normal(radius: layer.radius, lebesguePower: 3, fanIn: 784).scale, accuracy: 1e-6)
        XCTAssertEqual(model.blocks[0].config.activation, .repu(power: 4.5))
        XCTAssertTrue(model.blocks[1].config.operations.batchNorm1d)
        XCTAssertEqual(model.blocks[1].outputFeatures, 10)
    }

    func testResolve_unknownPreset_suggestsClosest() throws {
        let error = configError { try PresetLibrary.builtin().resolve("2SoftMlpMNST") }
        guard case .unknownPreset(let name, let hint)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(name, "2SoftMlpMNST")
        XCTAssertEqual(hint, "did you mean '2SoftMlpMNIST'?")
        let far = configError { try PresetLibrary.builtin().resolve("Completely") }
        XCTAssertTrue(far?.description.contains("hebb presets") == true, "\(String(describing: far))")
    }

    // MARK: - Layer strings

    func testResolve_layerStrings_withBlockAttributes() throws {
        let config = try PresetLibrary.builtin().resolve("Soft-c20-t3:softmax_5:dropout0.5+hard-c8:bn:relu:outbn+BP-c10:dropout0.25")
        XCTAssertEqual(config.blocks.count, 3)
        XCTAssertEqual(config.blocks[0].layer.kind, .soft)
        XCTAssertEqual(config.blocks[0].layer.outChannels, 20)
        XCTAssertEqual(config.blocks[0].layer.inverseTemperature, 3)
        XCTAssertTrue(config.blocks[0].operations.flatten, "first MLP block flattens")
        XCTAssertEqual(config.blocks[0].activation, .softmax(inverseTemperature: 5))
        XCTAssertEqual(config.blocks[0].dropout, 0.5)
        XCTAssertFalse(config.blocks[1].operations.flatten)
        XCTAssertTrue(config.blocks[1].operations.batchNorm1d)
        XCTAssertEqual(config.blocks[1].activation, .relu)
        XCTAssertTrue(config.blocks[1].outputBatchNorm)
        XCTAssertEqual(config.blocks[2].dropout, 0.25)
        let model = try ModelBuilder.resolve(config, data: mnist)
        XCTAssertEqual(model.blocks.map(\.inputFeatures), [784, 20, 8])
        XCTAssertEqual(model.blocks.map(\.outputFeatures), [20, 8, 10])
        XCTAssertEqual(model.blocks[1].initialisation.map { if case .normal = $0 { true } else { false } }, true, "bn input → normal init")
    }

    func testResolve_layerStringErrors_areConfigErrors() throws {
        let library = try PresetLibrary.builtin()
        XCTAssertTrue(configError { try library.resolve("soft-c5:dropout1.5") }?.description.contains("dropout") == true)
        XCTAssertTrue(configError { try library.resolve("soft-c5:sofmax_5") }?.description.contains("did you mean 'softmax'") == true)
        XCTAssertTrue(configError { try library.resolve("soft-c5+BP-x1") }?.description.contains("unknown token 'x1'") == true)
        XCTAssertNotNil(configError { try library.resolve("soft-c5:triangle_x") })
        let noWidth = configError { try ModelBuilder.resolve(library.resolve("soft-t3+BP-c10"), data: self.mnist) }
        XCTAssertTrue(noWidth?.description.contains("c<units>") == true, "\(String(describing: noWidth))")
    }

    /// A first layer without tokens (`BP:dropout0.5`, `soft+…`) is still a layer string, not a
    /// preset name (the prefix test used to split on '-' only).
    func testResolve_firstLayerWithoutTokens_isLayerString() throws {
        let library = try PresetLibrary.builtin()
        let single = try library.resolve("BP:dropout0.5")
        XCTAssertEqual(single.blocks.count, 1)
        XCTAssertEqual(single.blocks[0].layer.kind, .backprop)
        XCTAssertEqual(single.blocks[0].dropout, 0.5)
        XCTAssertEqual(try ModelBuilder.resolve(single, data: mnist).blocks[0].outputFeatures, 10)
        let error = configError { try ModelBuilder.resolve(library.resolve("soft+BP-c10"), data: self.mnist) }
        XCTAssertTrue(error?.description.contains("c<units>") == true, "\(String(describing: error))")
    }

    // MARK: - Malformed presets files

    func testInit_missingMiddleBlock_isBadPresetFile() throws {
        let json = #"{"model": {"M": {"b0": {"arch": "MLP", "preset": "soft-c5"}, "b2": {"arch": "MLP", "preset": "BP-c10"}}}}"#
        let error = configError { try self.makeLibrary(json) }
        guard case .badPresetFile(let path, let reason)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(path, "test.json")
        XCTAssertTrue(reason.contains("'M'"), reason)
    }

    func testInit_nonObjects_areBadPresetFile() {
        for json in [#"[1, 2]"#, #"{"model": 3}"#, #"{"model": {"M": "soft-c5"}}"#, #"{"model": {"M": {"description": "x"}}}"#, "not json"] {
            guard case .badPresetFile? = configError({ try self.makeLibrary(json) }) else { return XCTFail(json) }
        }
    }

    func testLoad_missingFile_isBadPresetFile() {
        let error = configError { try PresetLibrary.load(from: URL(fileURLWithPath: "/nonexistent/presets.json")) }
        XCTAssertTrue(error?.description.contains("/nonexistent/presets.json") == true)
    }

    func testResolve_badBlockFields_areBadBlock() throws {
        let cases: [(String, String)] = [
            (#"{"arch": "RNN", "preset": "soft-c5"}"#, "'arch' must be MLP or CNN"),
            (#"{"preset": "soft-c5"}"#, "'arch' must be MLP or CNN"),
            (#"{"arch": "MLP"}"#, "'preset' layer string missing"),
            (#"{"arch": "MLP", "preset": "soft-c5", "num": 3}"#, "'num' is 3, expected 0"),
        ]
        for (block, reason) in cases {
            let library = try makeLibrary(#"{"model": {"M": {"b0": \#(block), "b1": {"arch": "MLP", "preset": "BP-c10"}}}}"#)
            let error = configError { try library.resolve("M") }
            XCTAssertEqual(error, .badBlock(preset: "M", block: 0, reason: reason), block)
        }
    }

    func testResolve_unknownLayerOverride_suggestsClosestKey() throws {
        let library = try makeLibrary(
            #"{"model": {"M": {"b0": {"arch": "MLP", "preset": "soft-c5", "layer": {"learningRat": 0.1}}, "b1": {"arch": "MLP", "preset": "BP-c10"}}}}"#)
        let error = configError { try library.resolve("M") }
        guard case .badBlock(_, let block, let reason)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(block, 0)
        XCTAssertTrue(reason.contains("unknown layer key 'learningRat'"), reason)
        XCTAssertTrue(reason.contains("did you mean 'learningRate'"), reason)
    }

    func testResolve_layerOverrides_applyWithTypes() throws {
        let good = try makeLibrary(
            #"{"model": {"M": {"b0": {"arch": "MLP", "preset": "soft-c5", "operation": "flatten", "layer": {"learningRate": 0.125, "radius": 3, "metric_mode": "unsupervised"}}, "b1": {"arch": "MLP", "preset": "BP-c10", "dropout": 0.5}}}}"#)
        let model = try good.resolve("M")
        XCTAssertEqual(model.blocks[0].layer.learningRate, 0.125)
        XCTAssertEqual(model.blocks[0].layer.radius, 3)
        XCTAssertEqual(model.blocks[1].dropout, 0.5)
        let bad = try makeLibrary(
            #"{"model": {"M": {"b0": {"arch": "MLP", "preset": "soft-c5", "layer": {"radius": "big"}}, "b1": {"arch": "MLP", "preset": "BP-c10"}}}}"#)
        guard case .badBlock(_, _, let reason)? = configError({ try bad.resolve("M") }) else { return XCTFail() }
        XCTAssertTrue(reason.contains("wrong types"), reason)
    }

    // MARK: - Hostile values (found by fuzzing)

    func testResolve_layerOverridesOutOfRange_areBadBlock() throws {
        let cases = [
            (#""padding": 4611686018427387904"#, "layer overrides: padding 4611686018427387904 is outside 0…1048576"),
            (#""kernelSize": 0"#, "layer overrides: kernelSize 0 is outside 1…1048576"),
            (#""outChannels": -5"#, "layer overrides: outChannels -5 is outside 1…1048576"),
            (#""radius": -1"#, "layer overrides: radius -1.0 is not positive"),
            (#""lebesguePower": 0.5"#, "layer overrides: lebesguePower 0.5 is below 1"),
        ]
        for (override, reason) in cases {
            let library = try makeLibrary(
                #"{"model": {"M": {"b0": {"arch": "CNN", "preset": "soft-c5-k3", "layer": {\#(override)}}, "b1": {"arch": "MLP", "preset": "BP-c10"}}}}"#)
            XCTAssertEqual(configError { try library.resolve("M") }, .badBlock(preset: "M", block: 0, reason: reason), override)
        }
    }

    func testResolve_sizesOverflowingTheDimensionPass_areErrorsNotTraps() throws {
        // Padded 1×1 layers of 2²⁰ filters triple the image each time until C·H·W overflows Int.
        var (height, layers) = (28, [String]())
        for _ in 0..<14 {
            let padding = min(height - 1, LayerString.largestSize)
            layers.append("softkrotov-c1048576-k1-p\(padding)")
            height += 2 * padding
        }
        let grown = configError { try self.resolved(layers.joined(separator: "+") + "+BP-c10") }
        XCTAssertTrue(grown?.description.contains("values per sample overflows Int") == true, "\(String(describing: grown))")
        let pool = configError { try self.resolved("softkrotov-c96-k5-p2:max_9223372036854775807_1_4611686018427387903+BP-c10") }
        XCTAssertTrue(pool?.description.contains("has a size larger than 1048576") == true, "\(String(describing: pool))")
    }

    func testResolve_unknownNameWithLineBreak_isOneLineError() {
        let error = configError { try PresetLibrary.builtin().resolve("2SoftMlp\nMNIST") }
        XCTAssertTrue(error?.description.contains("'2SoftMlp\\nMNIST'") == true, "\(String(describing: error))")
    }

    func testResolve_unsupportedOperation_isRefused() throws {
        let library = try makeLibrary(#"{"model": {"M": {"b0": {"arch": "MLP", "preset": "soft-c5", "operation": "flatten,max"}, "b1": {"arch": "MLP", "preset": "BP-c10"}}}}"#)
        guard case .unsupported? = configError({ try library.resolve("M") }) else { return XCTFail() }
    }
}
