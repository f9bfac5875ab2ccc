import Foundation
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Deterministic fuzzing of presets JSON files (`--presets FILE`): SoftHebb-shaped documents
/// mutated structurally (keys duplicated, garbled, dropped or added; values of the wrong type,
/// extreme numbers, deep nesting; layer strings rewritten) and byte by byte.
final class FuzzPresetFileTests: XCTestCase {
    /// A small valid presets file: an MLP and a CNN preset using every block field.
    static let seed: FuzzJSON = [
        "model": [
            "Mlp": [
                "description": "two layers",
                "b0": [
                    "arch": "MLP", "preset": "soft-c20-t12-lr0.045-r35-v1", "operation": "flatten", "num": 0,
                    "batch_norm": false, "pool": nil, "activation": "softmax_5", "dropout": 0,
                ],
                "b1": [
                    "arch": "MLP", "preset": "BP-c10", "operation": "", "num": 1, "batch_norm": false, "pool": nil,
                    "activation": nil, "dropout": 0,
                ],
            ],
            "Cnn": [
                "description": "conv then linear",
                "b0": [
                    "arch": "CNN", "preset": "softkrotov-c8-k5-p2-s1-d1-b0-t1-lr0.08-lp0.5-e0",
                    "operation": "batchnorm2d", "num": 0, "batch_norm": true, "pool": "avg_4_2_1",
                    "activation": "triangle_0.7", "dropout": 0,
                    "layer": ["radius": 10, "metric_mode": "unsupervised", "initialisation": "normal", "groups": 1],
                ],
                "b1": [
                    "arch": "MLP", "preset": "BP-c10", "operation": "flatten", "num": 1, "batch_norm": false,
                    "pool": nil, "activation": nil, "dropout": 0.5,
                ],
            ],
        ]
    ]

    /// Keys worth renaming to or adding: SoftHebb's block fields and `layer` override keys.
    static let keys = [
        "model", "description", "b0", "b1", "b2", "b10", "arch", "preset", "operation", "num", "batch_norm",
        "pool", "activation", "dropout", "layer", "radius", "learningRate", "outChannels", "kernelSize",
        "padding", "stride", "dilation", "groups", "metric_mode", "initialisation", "lebesguePower",
        "inverseTemperature", "rankingK", "Mlp", "Cnn", "",
    ]

    private let shape = DataShape(channels: 3, height: 32, width: 32, classCount: 10)

    func testFuzz_presetsJSON_endInValidLibraryOrOneLineConfigError() throws {
        let directory = try makeFuzzDirectory("hebb-fuzz-presets")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("presets.json")
        runFuzzCampaign(
            kind: "presets-json", expecting: ConfigError.self,
            makeInput: { mutator, _ -> [UInt8] in
                let json = mutator.mutate(Self.seed, keys: Self.keys, maxMutations: 4) { mutator, text in
                    mutator.mutate(
                        text, separators: ["-", ":", "_"], dictionary: FuzzLayerStringTests.dictionary)
                }
                let bytes = Array(json.text.utf8)
                return mutator.chance(0.15) ? mutator.mutate(bytes) : bytes
            },
            describe: { String(decoding: $0, as: UTF8.self) },
            parse: { bytes in
                // One input in eight goes through the file path, the rest through memory.
                let library: PresetLibrary
                if bytes.count % 8 == 0 {
                    try Data(bytes).write(to: url)
                    library = try PresetLibrary.load(path: url.path)
                } else {
                    library = try PresetLibrary(json: Data(bytes), source: "fuzz.json")
                }
                for name in library.names {
                    let model = try library.resolve(name)
                    if let problem = FuzzLayerStringTests.problem(in: model) { return "\(name): \(problem)" }
                    _ = try? ModelBuilder.resolve(model, data: self.shape)
                }
                return nil
            })
        let written = DatasetWriters.files(under: directory)
        XCTAssertTrue(Set(written).isSubset(of: ["presets.json"]), "reading presets wrote files: \(written)")
    }
}
