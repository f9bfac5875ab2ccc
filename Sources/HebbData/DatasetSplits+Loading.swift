import Foundation

/// Locates, reads, verifies and splits the dataset of `config` (see `DatasetSplits.load`).
public func loadDataset(config: DatasetConfig, locator: DatasetLocator, validation: Bool) throws -> DatasetSplits {
    try DatasetSplits.load(config: config, locator: locator, validation: validation)
}

extension DatasetSplits {
    /// Locates the family's files, reads them (plain or `.gz`), verifies known files by SHA-256
    /// of the uncompressed bytes (`KnownChecksums`), and splits per `config`. With validation
    /// the test files are not read.
    public static func load(config: DatasetConfig, locator: DatasetLocator, validation: Bool) throws -> DatasetSplits {
        let files = try locator.locate(family: config.family, key: config.key)
        let names = config.family.files
        let train = try readImages(
            images: files.trainImages, imagesName: names.trainImages,
            labels: files.trainLabels, labelsName: names.trainLabels, config: config)
        let test =
            validation
            ? train
            : try readImages(
                images: files.testImages, imagesName: names.testImages,
                labels: files.testLabels, labelsName: names.testLabels, config: config)
        return try DatasetSplits(config: config, train: train, test: test, validation: validation)
    }

    /// Reads one image/label pair of IDX files, verifying each against `KnownChecksums`.
    static func readImages(
        images: URL, imagesName: String, labels: URL, labelsName: String, config: DatasetConfig
    ) throws -> LabeledImages {
        let imageFile = try readVerified(images, name: imagesName, dimensionCount: 3, family: config.family)
        let labelFile = try readVerified(labels, name: labelsName, dimensionCount: 1, family: config.family)
        let expected = [config.height, config.width]
        guard Array(imageFile.dimensions.dropFirst()) == expected, config.channels == 1 else {
            throw DataError.shapeMismatch(
                path: imageFile.path, expected: [config.channels] + expected,
                found: [1] + imageFile.dimensions.dropFirst())
        }
        return try LabeledImages(images: imageFile, labels: labelFile, classCount: config.classCount)
    }

    /// Reads `url`, checks its digest when it is one of the published files, and parses it.
    static func readVerified(_ url: URL, name: String, dimensionCount: Int, family: DatasetFamily) throws -> IDXFile {
        let (bytes, path) = try IDXFile.readUncompressedBytes(at: url)
        try KnownChecksums.verify(bytes, family: family, file: name, path: path)
        return try IDXFile(bytes: bytes, expectedDimensionCount: dimensionCount, path: path)
    }
}
