import Foundation
import HebbTensor
import HebbTestSupport

@testable import HebbExperiment

/// Tiny synthetic MNIST files (200 train / 50 test images of 10 easy classes) in a temporary
/// folder, and helpers to run `Experiment.train` on them and read what it wrote.
struct ExperimentFixture {
    /// 16 soft WTA units, then a batch-normed linear classifier with Adam rate 0.05. Without the
    /// batch norm and the larger rate, 70 Adam steps on the raw currents (large, strongly
    /// correlated across units) stay near chance.
    static let layers = "soft-c16-t1-lr0.05+BP-c10-ls0.05:bn"
    static let seed = 3
    /// Measured test accuracy of `layers` (successive, MNIST_1 then MNIST_10): 98–100 % over
    /// seeds 0…7; chance is 10 %.
    static let accuracyThreshold: Float = 80

    let temporary: URL
    let datasets: URL

    init() throws {
        temporary = try makeTemporaryDirectory("hebb-experiment")
        datasets = temporary.appendingPathComponent("datasets-src")
        try DatasetWriters.writeMNIST(to: datasets, train: 200, test: 50, seed: 11)
    }

    func remove() { try? FileManager.default.removeItem(at: temporary) }

    /// A fresh, empty data root.
    func root(_ name: String) throws -> URL {
        let url = temporary.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func request(_ root: URL, seed: Int = ExperimentFixture.seed) -> TrainingRequest {
        var request = TrainingRequest(preset: Self.layers, dataRoot: root.path)
        request.unsupervisedDataset = "MNIST_1"
        request.supervisedDataset = "MNIST_10"
        request.datasetsDirectory = datasets.path
        request.seed = seed
        return request
    }

    func train(_ request: TrainingRequest) throws -> (summary: TrainingSummary, log: [String]) {
        var lines: [String] = []
        let summary = try Experiment.train(request) { lines.append($0) }
        return (summary, lines)
    }

    func store(_ root: URL, name: String = ExperimentFixture.layers) -> RunStore {
        RunStore(dataRoot: root.path, modelName: name)
    }

    func tensors(_ root: URL) throws -> [String: Tensor] {
        try SafeTensorsArchive.load(from: store(root).modelFile).tensors
    }

    func modelBytes(_ root: URL) throws -> Data { try Data(contentsOf: store(root).modelFile) }

    func record(_ root: URL) throws -> RunRecord {
        try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: store(root).configFile))
    }

    func metrics(_ root: URL, name: String = ExperimentFixture.layers) throws -> [EpochRecord] {
        let text = try String(contentsOf: store(root, name: name).metricsFile, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(EpochRecord.self, from: Data($0.utf8)) }
    }

    /// The weights `Experiment` starts from for `seed`.
    func initialTensors(seed: Int = ExperimentFixture.seed) throws -> [String: Tensor] {
        let shape = DataShape(channels: 1, height: 28, width: 28, classCount: 10)
        let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(Self.layers), data: shape)
        var rng = SeededGenerator(seed: UInt64(bitPattern: Int64(seed)))
        return ModelBuilder.build(resolved, using: &rng).namedTensors()
    }
}
