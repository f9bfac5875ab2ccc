import Foundation
import HebbData
import HebbTestSupport
import XCTest

final class ImageFolderTests: XCTestCase {
    /// Classes written out of order: labels must follow the sorted names.
    private let classes = ["n03_dog", "n01_cat", "n02_bird"]

    /// `imagenette2-160/train` (2 images per class) and `val` (1 per class) under a fresh root.
    private func writeImageNette() throws -> URL {
        let root = try makeTemporaryDirectory("hebb-folder")
        let directory = root.appendingPathComponent("imagenette2-160")
        try DatasetWriters.writeImageFolder(to: directory.appendingPathComponent("train"), classes: classes)
        try DatasetWriters.writeImageFolder(to: directory.appendingPathComponent("val"), classes: classes, imagesPerClass: 1)
        return root
    }

    /// ImageNette at 8×8 pixels (small, so the tests decode quickly).
    private func config(_ key: String = "ImageNette", shuffle: Bool = false) throws -> DatasetConfig {
        var config = try DatasetCatalog.resolve(key: key)
        (config.height, config.width, config.shuffle) = (8, 8, shuffle)
        return config
    }

    func testListing_sortsClassesAndFilesAndIgnoresOtherFiles() throws {
        let root = try writeImageNette()
        let train = root.appendingPathComponent("imagenette2-160/train")
        try Data("notes".utf8).write(to: train.appendingPathComponent("n01_cat/readme.txt"))
        let folder = try ImageFolder(directory: train, classCount: 10)
        XCTAssertEqual(folder.classNames, ["n01_cat", "n02_bird", "n03_dog"])
        XCTAssertEqual(folder.labels, [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(folder.files.map { $0.lastPathComponent }, ["img0.JPEG", "img1.JPEG", "img0.JPEG", "img1.JPEG", "img0.JPEG", "img1.JPEG"])
        XCTAssertEqual(folder.files[2].deletingLastPathComponent().lastPathComponent, "n02_bird")
        try Data([0x89, 0x50]).write(to: train.appendingPathComponent("n02_bird/extra.png"))
        guard case .corruptImage(let path, _)? = TestFiles.dataError({ try ImageFolder(directory: train, classCount: 10) })
        else { return XCTFail("a PNG must be refused, not skipped") }
        XCTAssertTrue(path.hasSuffix("extra.png"))
        XCTAssertNotNil(TestFiles.dataError { try ImageFolder(directory: train, classCount: 2) }, "3 folders > 2 classes")
    }

    func testLoad_ImageNette_decodesResizesToCHWAndNormalisesLikeImageNet() throws {
        let root = try writeImageNette()
        let splits = try loadDataset(config: config(), locator: DatasetLocator(roots: [root.path]), validation: false)
        XCTAssertEqual([splits.train.count, splits.evaluation.count], [6, 3])
        XCTAssertEqual(splits.train.labels, [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(splits.evaluation.labels, [0, 1, 2])
        XCTAssertEqual([splits.train.channels, splits.train.height, splits.train.width], [3, 8, 8])
        XCTAssertEqual(splits.train.normalization, .imageNet)
        for n in 0..<6 {
            let color = DatasetWriters.classColor(Int(splits.train.labels[n]))
            for c in 0..<3 {
                let plane = splits.train.pixels[(n * 192 + c * 64)..<(n * 192 + (c + 1) * 64)]
                XCTAssertTrue(plane.allSatisfy { abs(Int($0) - Int(color[c])) <= 3 }, "image \(n) channel \(c): \(Array(plane.prefix(4))) vs \(color[c])")
            }
        }
        let value = splits.train.batch(indices: [0]).images.scalars[64]
        XCTAssertEqual(value, (Float(splits.train.pixels[64]) / 255 - 0.456) / 0.224)
        XCTAssertEqual(splits.augmentation, .none)
        XCTAssertEqual(try loadDataset(config: config("ImageNette_200aug"), locator: DatasetLocator(roots: [root.path]), validation: false).augmentation, .imageNetResizedCrop)
    }

    func testLoad_decodesOnlyTheRowsTheSplitUses() throws {
        let root = try writeImageNette()
        var small = try config(shuffle: true)
        small.trainingSample = 4
        let validated = try loadDataset(config: small, locator: DatasetLocator(roots: [root.path]), validation: true)
        XCTAssertEqual(validated.train.count, 4, "4 of 6 images decoded")
        XCTAssertEqual([validated.trainIndices.count, validated.evaluation.count], [4, 0], "floor(4·0.2) = 0 held out")
        small.trainingSample = 5
        let five = try loadDataset(config: small, locator: DatasetLocator(roots: [root.path]), validation: true)
        XCTAssertEqual([five.train.count, five.trainIndices.count, five.evaluation.count], [5, 4, 1])
        XCTAssertEqual(Set(five.trainIndices).count, 4)
        XCTAssertTrue(five.trainIndices.allSatisfy { $0 < 5 })
        // The same selection as the plain split over all rows.
        let all = try DatasetSplits.selectRows(
            config: small, labels: ImageFolder(directory: root.appendingPathComponent("imagenette2-160/train"), classCount: 10).labels,
            validation: true)
        XCTAssertEqual(five.trainIndices.map { five.train.labels[$0] }, all.train.map { [0, 0, 1, 1, 2, 2][$0] })
    }

    func testLoad_ImageNetV2_trainsAndEvaluatesOnItsOneFolder() throws {
        let root = try makeTemporaryDirectory("hebb-folder")
        try DatasetWriters.writeImageFolder(
            to: root.appendingPathComponent("imagenetv2-top-images-format-val"), classes: ["0", "1", "10", "2"], imagesPerClass: 1)
        var config = try DatasetCatalog.resolve(key: "ImageNetV2TopImages_160")
        (config.height, config.width) = (8, 8)
        let splits = try loadDataset(config: config, locator: DatasetLocator(roots: [root.path]), validation: false)
        XCTAssertEqual(splits.train.count, 4)
        XCTAssertEqual(splits.evaluation.labels, [0, 1, 2, 3], "folders '0', '1', '10', '2' in byte order, as Python sorts them")
        XCTAssertEqual(splits.evaluation.pixels, splits.train.pixels)
    }

    func testLoad_validationFolderKeepsTrainingLabelsAndRejectsUnknownClasses() throws {
        let root = try writeImageNette()
        let val = root.appendingPathComponent("imagenette2-160/val")
        try FileManager.default.removeItem(at: val.appendingPathComponent("n01_cat"))
        let splits = try loadDataset(config: config(), locator: DatasetLocator(roots: [root.path]), validation: false)
        XCTAssertEqual(splits.evaluation.labels, [1, 2])
        try DatasetWriters.writeImageFolder(to: val, classes: ["n99_fish"], imagesPerClass: 1)
        guard case .noImages(let path, _)? = TestFiles.dataError({
            try loadDataset(config: self.config(), locator: DatasetLocator(roots: [root.path]), validation: false)
        }) else { return XCTFail("expected noImages") }
        XCTAssertTrue(path.hasSuffix("val/n99_fish"), path)
    }

    func testLoad_corruptImage_namesTheFile() throws {
        let root = try writeImageNette()
        let bad = root.appendingPathComponent("imagenette2-160/train/n02_bird/img1.JPEG")
        let bytes = try Data(contentsOf: bad)
        try bytes.dropLast(10).write(to: bad)
        let error = TestFiles.dataError {
            try loadDataset(config: self.config(), locator: DatasetLocator(roots: [root.path]), validation: false)
        }
        guard case .corruptImage(let path, let reason)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(path, bad.path)
        XCTAssertTrue(reason.contains("truncated"), reason)
        XCTAssertFalse(error?.description.contains("\n") ?? true)
    }

    func testLoad_missing_listsWhereItLookedAndWhereToGetIt() throws {
        let root = try makeTemporaryDirectory("hebb-folder")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("imagenette2-160/train"), withIntermediateDirectories: true)
        let error = TestFiles.dataError {
            try loadDataset(config: self.config(), locator: DatasetLocator(roots: [root.path, "/nope"]), validation: false)
        }
        XCTAssertEqual(
            error,
            .datasetNotFound(
                key: "ImageNette", file: "imagenette2-160/val",
                searched: [root.appendingPathComponent("imagenette2-160").path, "/nope/imagenette2-160"]))
        XCTAssertTrue(error?.description.contains("https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz") ?? false)
        let imageNet = TestFiles.dataError {
            try loadDataset(config: DatasetCatalog.resolve(key: "ImageNet_1160"), locator: DatasetLocator(roots: ["/nope"]), validation: false)
        }
        XCTAssertEqual(imageNet, .datasetNotFound(key: "ImageNet_1160", file: "imagenet/train", searched: ["/nope/imagenet"]))
        XCTAssertTrue(imageNet?.description.contains("image-net.org") ?? false)
    }

    func testCheckMemory_refusesDecodingMoreThanTheMachineHolds() {
        XCTAssertNoThrow(try ImageFolder.checkMemory(imageCount: 9469, imageSize: 3 * 160 * 160, key: "ImageNette", physicalMemory: 16 << 30))
        guard case .invalidConfig(let key, let reason)? = TestFiles.dataError({
            try ImageFolder.checkMemory(imageCount: 1_281_167, imageSize: 3 * 256 * 256, key: "ImageNet", physicalMemory: 128 << 30)
        }) else { return XCTFail("expected invalidConfig") }
        XCTAssertEqual(key, "ImageNet")
        XCTAssertTrue(reason.contains("251.9 GB"), reason)
    }
}
