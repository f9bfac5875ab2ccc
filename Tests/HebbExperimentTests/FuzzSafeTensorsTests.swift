import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// Deterministic fuzzing of safetensors checkpoints: the header JSON mutated structurally
/// (dtypes, shapes and offsets set to zero, negative, huge or wrong-typed values; keys
/// duplicated or garbled) and re-framed with a correct length, and whole files mutated byte by
/// byte (the 8-byte header length set to extremes, truncation at every length class).
final class FuzzSafeTensorsTests: XCTestCase {
    /// A valid header over 42 data bytes: one tensor of each dtype, plus metadata.
    static let header: FuzzJSON = [
        "__metadata__": ["preset": "2SoftMlpMNIST", "epoch": "3"],
        "a.weight": ["dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]],
        "b": ["dtype": "F16", "shape": [4], "data_offsets": [24, 32]],
        "c": ["dtype": "BF16", "shape": [], "data_offsets": [32, 34]],
        "d": ["dtype": "F64", "shape": [1, 1], "data_offsets": [34, 42]],
    ]

    /// Consistent headers that claim far more data than any file holds: an F32 tensor whose
    /// offsets end near `Int.max`, and an empty tensor whose other extents multiply past it.
    static let hugeHeaders: [FuzzJSON] = [
        ["a": ["dtype": "F32", "shape": [2_305_843_009_213_693_951], "data_offsets": [0, 9_223_372_036_854_775_804]]],
        [
            "a": ["dtype": "F32", "shape": [1], "data_offsets": [0, 4]],
            "b": ["dtype": "F16", "shape": [4_611_686_018_427_387_901], "data_offsets": [4, 9_223_372_036_854_775_806]],
        ],
        ["a": ["dtype": "F32", "shape": [0, 4_611_686_018_427_387_904, 4], "data_offsets": [0, 0]]],
        ["a": ["dtype": "BF16", "shape": [1_073_741_824, 1_073_741_824], "data_offsets": [0, 2_305_843_009_213_693_952]]],
    ]

    /// Keys and dtype names worth splicing in.
    static let keys = [
        "dtype", "shape", "data_offsets", "__metadata__", "a.weight", "b", "F32", "F16", "BF16", "F64", "I64",
        "U8", "f32", "",
    ]

    /// `header` framed as a file: little-endian length, space-padded JSON, then `data`.
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        var json = Array(header.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * $0)) } + json + data
    }

    func testFuzz_safetensors_endInValidArchiveOrOneLineCheckpointError() throws {
        let directory = try makeFuzzDirectory("hebb-fuzz-safetensors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let data = (0..<42).map { UInt8(($0 * 29 + 7) % 256) }
        let valid = Self.file(header: Self.header.text, data: data)
        let lengthField = Mutator.Field(offset: 0, width: 8, bigEndian: false)
        runFuzzCampaign(
            kind: "safetensors", expecting: CheckpointError.self,
            makeInput: { mutator, _ -> [UInt8] in
                if mutator.chance(0.4) { return mutator.mutate(valid, fields: [lengthField, lengthField]) }
                if mutator.chance(0.1) {
                    // A huge consistent header, as is or lightly mutated, over the usual data.
                    let huge = mutator.pick(Self.hugeHeaders)
                    let json = mutator.chance(0.5) ? huge : mutator.mutate(huge, keys: Self.keys, maxMutations: 1) { $1 }
                    return Self.file(header: json.text, data: data)
                }
                let json = mutator.mutate(Self.header, keys: Self.keys) { mutator, text in
                    mutator.chance(0.3)
                        ? mutator.pick(Self.keys)
                        : mutator.mutate(text, separators: ["."], dictionary: Self.keys, maxMutations: 2)
                }
                var body = data
                if mutator.chance(0.3) { body = mutator.mutate(body) }
                let file = Self.file(header: json.text, data: body)
                return mutator.chance(0.25) ? mutator.mutate(file, fields: [lengthField]) : file
            },
            describe: { bytes in
                let length = bytes.count >= 8 ? Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % 4096) : 0
                let header = String(decoding: bytes.dropFirst(8).prefix(length), as: UTF8.self)
                return "\(bytes.count) bytes, header \(header)"
            },
            parse: { bytes in
                let archive: SafeTensorsArchive
                if bytes.count % 8 == 3 {
                    try Data(bytes).write(to: url)
                    archive = try SafeTensorsArchive.load(from: url)
                } else {
                    archive = try SafeTensorsArchive(decoding: Data(bytes), path: "fuzz.safetensors")
                }
                return Self.problem(in: archive)
            })
        let written = DatasetWriters.files(under: directory)
        XCTAssertTrue(Set(written).isSubset(of: ["model.safetensors"]), "loading wrote files: \(written)")
    }

    /// A tensor whose shape's partial products overflow (later `rows`/`columns` would trap).
    static func problem(in archive: SafeTensorsArchive) -> String? {
        for (name, tensor) in archive.tensors {
            var product = 1
            for extent in tensor.shape where extent != 0 {
                let (next, overflow) = product.multipliedReportingOverflow(by: extent)
                if overflow { return "tensor '\(name)' has shape \(tensor.shape), whose extents overflow Int" }
                product = next
            }
        }
        return nil
    }
}
