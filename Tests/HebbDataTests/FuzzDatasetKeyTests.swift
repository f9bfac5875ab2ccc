import HebbData
import HebbTestSupport
import XCTest

/// Deterministic fuzzing of dataset keys (`--dataset-unsup`, `--dataset-sup`): every known key
/// mutated by token shuffles, interesting numbers, unicode and case flips must resolve to a
/// sane config or throw a one-line `DataError`.
final class FuzzDatasetKeyTests: XCTestCase {
    /// Family names and variant fragments worth splicing in.
    static let dictionary = [
        "MNIST", "FashionMNIST", "CIFAR10", "CIFAR100", "STL10", "ImageNet", "ImageNette", "ImageNetV2TopImages",
        "aug", "zca", "p", "c", "unlabel", "px", "1", "10", "100", "1-1", "train+unlabel", "_", "-", "+", "__",
    ]

    func testFuzz_datasetKeys_endInValidConfigOrOneLineDataError() {
        let seeds = DatasetCatalog.allKeys
        runFuzzCampaign(
            kind: "dataset-keys", expecting: DataError.self,
            makeInput: { mutator, _ in
                mutator.mutate(mutator.pick(seeds), separators: ["_", "-", "+"], dictionary: Self.dictionary)
            },
            describe: { $0 },
            parse: { key in
                let config = try DatasetCatalog.resolve(key: key)
                guard config.key == key, key.hasPrefix(config.family.rawValue) else {
                    return "resolved to \(config.family.rawValue) with key '\(config.key)'"
                }
                guard config.epochs > 0, config.batchSize > 0, config.printFrequency > 0, config.trainingSample > 0 else {
                    return "non-positive epochs, batch size, print frequency or sample count"
                }
                return nil
            })
    }
}
