import Foundation
import HebbData
import HebbTestSupport
import XCTest

/// Deterministic fuzzing of MNIST-style IDX files, plain and gzipped, through the real loader:
/// one of a tiny dataset's four files is damaged per input (magic and extents set to zero,
/// 2³¹, 2³²−1, the file size…; bits flipped; bytes inserted and deleted; truncation at every
/// length class) and the dataset is loaded. Headers claiming more than the file holds must be
/// refused before anything is allocated; the peak-memory growth in the summary line shows it.
final class FuzzIDXTests: XCTestCase {
    /// IDX header fields: the type and dimension-count bytes, then the big-endian extents.
    static func fields(_ name: String, _ bytes: [UInt8]) -> [Mutator.Field] {
        let dimensionCount = bytes.count > 3 ? min(Int(bytes[3]), 3) : 0
        return [Mutator.Field(offset: 2, width: 1, bigEndian: true), Mutator.Field(offset: 3, width: 1, bigEndian: true)]
            + (0..<dimensionCount).flatMap { axis in
                Array(repeating: Mutator.Field(offset: 4 + 4 * axis, width: 4, bigEndian: true), count: 2)
            }
    }

    /// Gzip fields: the flags byte, then the CRC-32 and ISIZE of the trailer (little-endian).
    static func gzipFields(_ name: String, _ bytes: [UInt8]) -> [Mutator.Field] {
        let trailer: [Int] = [bytes.count - 8, bytes.count - 4].filter { $0 >= 0 }
        return [Mutator.Field(offset: 3, width: 1, bigEndian: false)]
            + trailer.map { Mutator.Field(offset: $0, width: 4, bigEndian: false) }
    }

    /// Writes the tiny dataset (6 training and 4 test images of 2×3) and returns its folder.
    private func makeFolder(compressed: Bool) throws -> FuzzDatasetFolder {
        let root = try makeFuzzDirectory(compressed ? "hebb-fuzz-idx-gz" : "hebb-fuzz-idx")
        let directory = root.appendingPathComponent("mnist")
        try TestFiles.writeDataset(in: directory, trainCount: 6, testCount: 4, compressed: compressed)
        return try FuzzDatasetFolder(root: root, directory: directory)
    }

    func testFuzz_idxFiles_endInValidDatasetOrOneLineDataError() throws {
        let folder = try makeFolder(compressed: false)
        defer { try? FileManager.default.removeItem(at: folder.root) }
        let config = try TestFiles.config("MNIST_1")
        runFuzzCampaign(
            kind: "idx", expecting: DataError.self,
            makeInput: { mutator, _ in folder.damage(&mutator, fields: Self.fields) },
            describe: { "\($0.name): \($0.bytes.prefix(40))… (\($0.bytes.count) bytes)" },
            parse: { damage in
                try folder.load(damage) { locator in
                    FuzzDatasetFolder.problem(in: try loadDataset(config: config, locator: locator, validation: damage.bytes.count % 4 == 0))
                }
            })
        folder.assertUntouched()
        FuzzDatasetFolder.assertRootHoldsOnly([folder])
    }

    func testFuzz_gzippedIDXFiles_endInValidDatasetOrOneLineDataError() throws {
        let folder = try makeFolder(compressed: true)
        defer { try? FileManager.default.removeItem(at: folder.root) }
        let config = try TestFiles.config("MNIST_1")
        runFuzzCampaign(
            kind: "idx-gz", expecting: DataError.self,
            makeInput: { mutator, _ -> FuzzDatasetFolder.Damage in
                // Half the inputs damage the IDX inside a valid gzip stream, half the stream itself
                // (flags byte, CRC and the ISIZE trailer that sizes the first allocation).
                if mutator.chance(0.5) {
                    let (name, compressed) = mutator.pick(folder.originals)
                    let raw = (try? Gzip.decompress(compressed)) ?? []
                    return FuzzDatasetFolder.Damage(name: name, bytes: TestFiles.gzip(mutator.mutate(raw, fields: Self.fields(name, raw))))
                }
                return folder.damage(&mutator, fields: Self.gzipFields)
            },
            describe: { "\($0.name): \($0.bytes.prefix(40))… (\($0.bytes.count) bytes)" },
            parse: { damage in
                try folder.load(damage) { locator in
                    FuzzDatasetFolder.problem(in: try loadDataset(config: config, locator: locator, validation: damage.bytes.count % 4 == 0))
                }
            })
        folder.assertUntouched()
        FuzzDatasetFolder.assertRootHoldsOnly([folder])
    }
}
