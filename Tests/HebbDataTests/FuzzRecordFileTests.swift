import Foundation
import HebbData
import HebbTestSupport
import XCTest

/// Deterministic fuzzing of CIFAR-10/100 and STL-10 binary files through the real loader: one
/// file of a tiny dataset is damaged per input (label bytes set to extremes, bits flipped,
/// bytes inserted and deleted, truncation at every length class, whole records added or
/// removed) and the dataset is loaded under one of the family's keys.
final class FuzzRecordFileTests: XCTestCase {
    func testFuzz_cifarFiles_endInValidDatasetOrOneLineDataError() throws {
        let root = try makeFuzzDirectory("hebb-fuzz-cifar")
        defer { try? FileManager.default.removeItem(at: root) }
        try DatasetWriters.writeCIFAR10(to: root.appendingPathComponent("cifar-10-batches-bin"), trainPerBatch: 2, test: 1)
        try DatasetWriters.writeCIFAR100(to: root.appendingPathComponent("cifar-100-binary"), train: 2, test: 2)
        let cifar10 = try FuzzDatasetFolder(root: root, directory: root.appendingPathComponent("cifar-10-batches-bin"))
        let cifar100 = try FuzzDatasetFolder(root: root, directory: root.appendingPathComponent("cifar-100-binary"))
        let keys = ["CIFAR10", "CIFAR10_1c3", "CIFAR100_1", "CIFAR100"].map { try? DatasetCatalog.resolve(key: $0) }
        runFuzzCampaign(
            kind: "cifar", expecting: DataError.self,
            makeInput: { mutator, index -> (config: DatasetConfig?, damage: FuzzDatasetFolder.Damage) in
                let config = keys[index % keys.count]
                let folder = config?.family == .cifar100 ? cifar100 : cifar10
                let record = config?.family == .cifar100 ? 3074 : 3073
                let damage = folder.damage(&mutator, recordBytes: { _ in record }) { _, bytes in
                    // The label byte(s) of the first and last record.
                    [0, 1, bytes.count - record, bytes.count - record + 1].filter { $0 >= 0 }
                        .map { Mutator.Field(offset: $0, width: 1, bigEndian: false) }
                }
                return (config, damage)
            },
            describe: { "\($0.config?.key ?? "?") \($0.damage.name): \($0.damage.bytes.count) bytes, starting \($0.damage.bytes.prefix(8))" },
            parse: { input in
                guard let config = input.config else { return "key did not resolve" }
                let folder = config.family == .cifar100 ? cifar100 : cifar10
                return try folder.load(input.damage) { locator in
                    FuzzDatasetFolder.problem(in: try loadDataset(config: config, locator: locator, validation: input.damage.bytes.count % 3 == 0))
                }
            })
        cifar10.assertUntouched()
        cifar100.assertUntouched()
        FuzzDatasetFolder.assertRootHoldsOnly([cifar10, cifar100])
    }

    func testFuzz_stl10Files_endInValidDatasetOrOneLineDataError() throws {
        let root = try makeFuzzDirectory("hebb-fuzz-stl10")
        defer { try? FileManager.default.removeItem(at: root) }
        try DatasetWriters.writeSTL10(to: root.appendingPathComponent("stl10_binary"), train: 1, test: 1, unlabeled: 1)
        let folder = try FuzzDatasetFolder(root: root, directory: root.appendingPathComponent("stl10_binary"))
        let keys = ["STL10", "STL10_unlabel", "STL10_train+unlabel"].map { try? DatasetCatalog.resolve(key: $0) }
        runFuzzCampaign(
            kind: "stl10", expecting: DataError.self,
            makeInput: { mutator, index -> (config: DatasetConfig?, damage: FuzzDatasetFolder.Damage) in
                let damage = folder.damage(&mutator, recordBytes: { $0.hasSuffix("_y.bin") ? 1 : STL10Binary.imageBytes }) { name, bytes in
                    // Every label byte (labels are 1…10 on disk) and the first pixel of each image.
                    name.hasSuffix("_y.bin")
                        ? bytes.indices.map { Mutator.Field(offset: $0, width: 1, bigEndian: false) }
                        : [Mutator.Field(offset: 0, width: 1, bigEndian: false)]
                }
                return (keys[index % keys.count], damage)
            },
            describe: { "\($0.config?.key ?? "?") \($0.damage.name): \($0.damage.bytes.count) bytes, starting \($0.damage.bytes.prefix(8))" },
            parse: { input in
                guard let config = input.config else { return "key did not resolve" }
                return try folder.load(input.damage) { locator in
                    FuzzDatasetFolder.problem(in: try loadDataset(config: config, locator: locator, validation: input.damage.bytes.count % 3 == 0))
                }
            })
        folder.assertUntouched()
        FuzzDatasetFolder.assertRootHoldsOnly([folder])
    }
}
