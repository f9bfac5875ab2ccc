import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// `--resume` verifies that the checkpoint belongs to the run: preset, data shape, tensor shapes,
/// record, kind and finiteness; each refusal is a `CheckpointError` that gives the reason.
final class CheckpointVerificationTests: XCTestCase {
    private var fixture: ExperimentFixture!
    private var root: URL!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
        root = try fixture.root("run")
        var phaseZero = fixture.request(root)
        phaseZero.trainingBlocks = [0]
        _ = try fixture.train(phaseZero)
    }

    private func resume(_ change: (inout TrainingRequest) -> Void = { _ in }) -> TrainingRequest {
        var request = fixture.request(root)
        request.resume = .all
        change(&request)
        return request
    }

    /// The error `train` throws, asserted to be a `CheckpointError` whose text has `fragments`.
    private func refusal(
        _ request: TrainingRequest, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try fixture.train(request), file: file, line: line) { error in
            XCTAssertTrue(error is CheckpointError, "\(error)", file: file, line: line)
            let text = "\(error)"
            XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
            for fragment in fragments + [fixture.store(root).modelFile.path] {
                XCTAssertTrue(text.contains(fragment), "'\(fragment)' not in: \(text)", file: file, line: line)
            }
        }
    }

    /// Rewrites model.safetensors through `change`, keeping its metadata (and embedded record).
    private func tamper(_ change: (inout SafeTensorsArchive) -> Void) throws {
        let url = fixture.store(root).modelFile
        var archive = try SafeTensorsArchive.load(from: url)
        change(&archive)
        try archive.save(to: url)
    }

    func testResumeAll_otherPreset_isRefusedNamingBoth() {
        let other = "soft-c16-t1-lr0.02+BP-c10-ls0.05:bn"
        refusal(
            resume { $0.preset = other; $0.modelName = ExperimentFixture.layers },
            ["does not belong to this run", "preset '\(ExperimentFixture.layers)', not '\(other)'"])
    }

    func testResumeAll_otherInputShape_isRefused() throws {
        let record = try fixture.record(root)
        var current = record.model
        current.data = DataShape(channels: 3, height: 32, width: 32, classCount: 10)
        XCTAssertThrowsError(
            try Experiment.verify(record, belongsTo: current, dataset: "CIFAR10_1", resume: .withoutClassifier, path: "m")
        ) { error in
            XCTAssertEqual(
                "\(error)",
                "checkpoint 'm' does not belong to this run: it was trained on 1×28×28 images, 10 classes but "
                    + "CIFAR10_1 has 3×32×32 images, 10 classes; resume with the run's own preset and datasets, "
                    + "or choose another --model-name")
        }
        current = record.model
        current.data.classCount = 5
        XCTAssertThrowsError(try Experiment.verify(record, belongsTo: current, dataset: "X", resume: .all, path: "m"))
        XCTAssertNoThrow(try Experiment.verify(record, belongsTo: current, dataset: "X", resume: .withoutClassifier, path: "m"))
    }

    func testResumeAll_tensorOfWrongShape_isRefusedWithShapes() throws {
        try tamper { $0.tensors["blocks.0.layer.weight"] = Tensor.zeros([8, 784]) }
        refusal(resume(), ["blocks.0.layer.weight has shape [8, 784], expected [16, 784]"])
    }

    func testResumeAll_missingTensor_isRefused() throws {
        try tamper { $0.tensors["blocks.1.layer.bias"] = nil }
        refusal(resume(), ["blocks.1.layer.bias missing"])
    }

    func testResumeAll_nonFiniteTensor_isRefused() throws {
        try tamper { $0.tensors["blocks.0.layer.weight"]?.scalars[5] = .infinity }
        refusal(resume(), ["tensor 'blocks.0.layer.weight' holds NaN or infinite values"])
    }

    func testResumeAll_blockCheckpointInPlaceOfNetwork_isRefused() throws {
        try tamper { $0.metadata["format"] = "hebb-block" }
        refusal(resume(), ["format is 'hebb-block'"])
    }

    func testResumeAll_recordOfAnotherModel_isRefused() throws {
        try tamper { $0.metadata["model"] = "2SoftMlpMNIST" }
        refusal(resume(), ["tensors are of model '2SoftMlpMNIST'"])
    }

    func testResumeAll_unreadableEmbeddedRecord_isRefused() throws {
        try tamper { $0.metadata["record"] = "{}" }
        refusal(resume(), ["'record' is not a hebb run record"])
    }

    func testResumeAll_unsupportedDType_isRefused() throws {
        // Turn the first tensor's dtype into I32 (same width, so the header stays consistent).
        let url = fixture.store(root).modelFile
        var bytes = try Data(contentsOf: url)
        let range = try XCTUnwrap(bytes.range(of: Data(#""dtype":"F32""#.utf8)))
        bytes.replaceSubrange(range, with: Data(#""dtype":"I32""#.utf8))
        try bytes.write(to: url)
        refusal(resume(), ["unsupported dtype 'I32'"])
    }

    /// Checkpoints written before the record was embedded still resume through config.json.
    func testResumeAll_legacyCheckpointWithoutEmbeddedRecord_usesConfigJSON() throws {
        try tamper { $0.metadata["record"] = nil }
        let summary = try fixture.train(resume()).summary
        XCTAssertEqual(summary.phasesSkipped, 1)
    }

    func testResumeAll_legacyCheckpointWithoutConfig_isRefused() throws {
        try tamper { $0.metadata["record"] = nil }
        try FileManager.default.removeItem(at: fixture.store(root).configFile)
        XCTAssertThrowsError(try fixture.train(resume())) { error in
            XCTAssertTrue("\(error)".contains("config.json is missing"), "\(error)")
        }
    }
}
