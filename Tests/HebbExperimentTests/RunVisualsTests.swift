import Foundation
import HebbTestSupport
import HebbVisual
import XCTest

@testable import HebbExperiment

/// Pictures and TensorBoard files written by `Experiment.train`, and `hebb view`'s renderer.
final class RunVisualsTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        fixture = try ExperimentFixture()
        let fixture = fixture!
        addTeardownBlock { fixture.remove() }
    }

    /// Width and height from a PNG's IHDR, after checking the signature.
    private func pngSize(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [Int] {
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertEqual(Array(bytes.prefix(8)), PNGEncoder.signature, file: file, line: line)
        func u32(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return [u32(16), u32(20)]
    }

    /// The data of every TFRecord in `url`, checking both masked CRC-32Cs of each.
    private func records(_ url: URL) throws -> [[UInt8]] {
        let bytes = [UInt8](try Data(contentsOf: url))
        var (offset, out) = (0, [[UInt8]]())
        func u32(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        while offset < bytes.count {
            let length = Int(bytes[offset..<(offset + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            XCTAssertEqual(u32(offset + 8), CRC32C.masked(bytes[offset..<(offset + 8)]))
            let data = Array(bytes[(offset + 12)..<(offset + 12 + length)])
            XCTAssertEqual(u32(offset + 12 + length), CRC32C.masked(data))
            out.append(data)
            offset += 16 + length
        }
        XCTAssertEqual(offset, bytes.count, "the file ends with a whole record")
        return out
    }

    func testTrain_writesMosaicsPlotsAndEventFile() throws {
        let root = try fixture.root("visuals")
        var request = fixture.request(root)
        (request.pictures, request.tensorboard) = (true, true)
        _ = try fixture.train(request)
        let store = fixture.store(root)
        // 16 units of 28×28: a 4×4 grid of 29-pixel cells plus the border.
        XCTAssertEqual(try pngSize(store.picturesFolder.appendingPathComponent("b0-epoch001.png")), [4 * 29 + 1, 4 * 29 + 1])
        XCTAssertEqual(try pngSize(store.picturesFolder.appendingPathComponent("metrics.png")), [2 * 480 + 3 * 8, 3 * 300 + 4 * 8])
        let events = try FileManager.default.contentsOfDirectory(atPath: store.tensorBoardFolder.path)
        XCTAssertEqual(events.count, 1)
        let name = try XCTUnwrap(events.first)
        XCTAssertTrue(name.hasPrefix("events.out.tfevents."), name)
        let data = try records(store.tensorBoardFolder.appendingPathComponent(name))
        XCTAssertTrue(String(decoding: data[0], as: UTF8.self).contains("brain.Event:2"))
        // Version, then per epoch the scalars, and for the one Hebbian epoch histogram + image.
        let metrics = try fixture.metrics(root)
        XCTAssertEqual(metrics.filter { $0.kind == .unsupervised }.count, 1)
        XCTAssertEqual(data.count, 1 + metrics.count + 1)
        let radius = try XCTUnwrap(metrics[0].meanRadius)
        XCTAssertTrue(radius.isFinite && radius > 0, "\(radius)")
        XCTAssertNil(metrics.last?.meanRadius, "a BP phase has no radius")
    }

    func testTrain_withoutPicturesOrSave_writesNoVisuals() throws {
        let root = try fixture.root("plain")
        var request = fixture.request(root)
        request.pictures = false
        _ = try fixture.train(request)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.store(root).picturesFolder.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.store(root).tensorBoardFolder.path))
        let unsaved = try fixture.root("unsaved")
        var nothing = fixture.request(unsaved)
        (nothing.save, nothing.tensorboard) = (false, true)
        _ = try fixture.train(nothing)
        XCTAssertEqual(DatasetWriters.files(under: unsaved), [])
    }

    func testView_rendersTheCheckpoint_andNamesBadInput() throws {
        let root = try fixture.root("view")
        _ = try fixture.train(fixture.request(root))
        let result = try RunView.render(run: ExperimentFixture.layers, dataRoot: root.path)
        XCTAssertEqual(result.block, 0)
        let epochs = try fixture.metrics(root).count
        XCTAssertEqual(result.epochs, epochs)
        XCTAssertEqual(result.caption, "B0 soft: 16 UNITS OF 1X28X28")
        XCTAssertEqual(try pngSize(result.file), [result.width, result.height])
        let folder = fixture.store(root).networkFolder.path
        let classifier = try RunView.render(run: folder, dataRoot: "/nonexistent", block: 1, output: root.appendingPathComponent("c.png").path)
        XCTAssertEqual(classifier.caption, "B1 BP: 10 UNITS OF 1X4X4")
        XCTAssertThrowsError(try RunView.render(run: folder, dataRoot: root.path, block: 2)) { error in
            XCTAssertEqual(error as? ViewError, .noSuchBlock(block: 2, blocks: 2, path: folder + "/model.safetensors"))
            XCTAssertTrue("\(error)".contains("blocks 0…1"), "\(error)")
        }
        XCTAssertThrowsError(try RunView.render(run: "missing-run", dataRoot: root.path)) { error in
            guard case .runNotFound(let run, let searched)? = error as? ViewError else { return XCTFail("\(error)") }
            XCTAssertEqual(run, "missing-run")
            XCTAssertEqual(searched.count, 2)
        }
        try AtomicFile.appendLine("{not json", to: fixture.store(root).metricsFile)
        XCTAssertThrowsError(try RunView.render(run: folder, dataRoot: root.path)) { error in
            guard case .badMetrics(_, let line, _)? = error as? ViewError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, epochs + 1)
        }
    }

    func testTileShapes_followTheBlockInput() throws {
        let colour = DataShape(channels: 3, height: 32, width: 32, classCount: 10)
        let layers = "softkrotov-c8-k5-p2-t1:max_4_2_1+soft-c6-t1+soft-c4-t1+BP-c10"
        let model = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(layers), data: colour)
        XCTAssertEqual(WeightPictures.tileShape(of: model.blocks[0], fanIn: 75), TileShape(channels: 3, height: 5, width: 5))
        XCTAssertEqual(WeightPictures.tileShape(of: model.blocks[1], fanIn: model.blocks[1].inputFeatures),
                       TileShape(channels: 8, height: model.blocks[1].inputShape[1], width: model.blocks[1].inputShape[2]))
        XCTAssertEqual(WeightPictures.tileShape(of: model.blocks[2], fanIn: 6), TileShape(channels: 1, height: 2, width: 3))
        XCTAssertTrue(MosaicLayout(tiles: 8, shape: WeightPictures.tileShape(of: model.blocks[0], fanIn: 75)).isColour)
    }

    func testScalarsAndPlots_ofEpochRecords() {
        var hebbian = EpochRecord(phase: 0, kind: .unsupervised, blocks: [0], epoch: 1, epochs: 2, learningRate: 0.1, seconds: 1)
        (hebbian.convergence, hebbian.r1, hebbian.meanRadius, hebbian.testAccuracy) = (0.5, 3, 1.2, 40)
        var supervised = EpochRecord(phase: 1, kind: .supervised, blocks: [1], epoch: 1, epochs: 1, learningRate: 0.001, seconds: 1)
        (supervised.trainLoss, supervised.testAccuracy) = (2.5, 60)
        let tags = TensorBoardLog.scalars(of: hebbian, hebbianBlock: 0).map { value -> String in
            guard case .scalar(let tag, _) = value else { return "" }
            return tag
        }
        XCTAssertEqual(tags, ["unsupervised/learning_rate", "unsupervised/accuracy_test", "b0/convergence", "b0/r1", "b0/mean_radius"])
        XCTAssertEqual(TensorBoardLog.scalars(of: supervised, hebbianBlock: nil).count, 3)
        let plots = MetricPlots.plots([hebbian, hebbian, supervised])
        XCTAssertEqual(plots.map(\.title), ["ACCURACY %", "LOSS", "CONVERGENCE MEAN|R-1|", "MEAN RADIUS", "R1: UNITS |R-1|<0.005", "LEARNING RATE"])
        XCTAssertEqual(plots[0].verticalMarkers, [2.5])
        // Test accuracy is broken at the phase change: one named piece per phase.
        XCTAssertEqual(plots[0].series.map(\.name), ["TRAIN", "TEST", ""])
        XCTAssertEqual(plots[0].series[2].points, [PlotPoint(x: 3, y: 60)])
        XCTAssertEqual(plots[0].xDomain, 0.5...3.5)
        XCTAssertEqual(plots[0].axes.x.values, [0, 1, 2, 3, 4])
    }
}
