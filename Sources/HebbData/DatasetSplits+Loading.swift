import HebbText

/// Locates, reads, verifies and splits the dataset of `config` (see `DatasetSplits.load`).
public func loadDataset(config: DatasetConfig, locator: DatasetLocator, validation: Bool) throws -> DatasetSplits {
    try DatasetSplits.load(config: config, locator: locator, validation: validation)
}

extension DatasetSplits {
    /// Locates the family's files, reads them and splits per `config`. With validation the test
    /// files are not read.
    ///
    /// - MNIST-style: the four IDX files (plain or `.gz`), verified by SHA-256 of the
    ///   uncompressed bytes (`KnownChecksums`).
    /// - CIFAR-10/100 and STL-10: the binary files of the split (`CIFARBinary`, `STL10Binary`).
    /// - ImageNet-style: the image folders (`ImageFolder`); only the training rows the split
    ///   uses are decoded.
    ///
    /// - Throws: `datasetNotFound` (listing where it looked and where to get the files), the
    ///   format errors of each reader.
    ///
    /// Standardisation and ZCA whitening (`config.standardized`, `config.zcaWhitened`) take their
    /// statistics from the training rows only and apply to every split.
    public static func load(config: DatasetConfig, locator: DatasetLocator, validation: Bool) throws -> DatasetSplits {
        let splits: DatasetSplits
        switch config.family.storage {
        case .idx: splits = try loadIDX(config: config, locator: locator, validation: validation)
        case .cifarBinary: splits = try loadCIFAR(config: config, locator: locator, validation: validation)
        case .stlBinary: splits = try loadSTL10(config: config, locator: locator, validation: validation)
        case .imageFolder: splits = try loadImageFolder(config: config, locator: locator, validation: validation)
        }
        return try splits.preprocessed()
    }

    /// These splits with the config's standardisation and whitening, fitted on `trainIndices`.
    public func preprocessed() throws -> DatasetSplits {
        guard config.standardized || config.zcaWhitened else { return self }
        let normalization = try PixelNormalization.standardization(of: train, rows: trainIndices, key: config.key)
        let standardized = train.preprocessed(normalization: normalization, whitening: nil)
        let whitening = config.zcaWhitened ? try Whitening.zca(images: standardized, rows: trainIndices, key: config.key) : nil
        return DatasetSplits(
            config: config, train: standardized.preprocessed(normalization: normalization, whitening: whitening),
            trainIndices: trainIndices, evaluation: evaluation.preprocessed(normalization: normalization, whitening: whitening),
            evaluationIsValidation: evaluationIsValidation)
    }

    /// MNIST and Fashion-MNIST.
    static func loadIDX(config: DatasetConfig, locator: DatasetLocator, validation: Bool) throws -> DatasetSplits {
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

    /// CIFAR-10 (`data_batch_1…5.bin`, `test_batch.bin`) and CIFAR-100 (`train.bin`, `test.bin`).
    static func loadCIFAR(config: DatasetConfig, locator: DatasetLocator, validation: Bool) throws -> DatasetSplits {
        let trainNames = CIFARBinary.trainFiles(family: config.family)
        let testNames = validation ? [] : CIFARBinary.testFiles(family: config.family)
        let directory = try locator.locateDirectory(
            named: config.directoryName, containing: trainNames + testNames, key: config.key)
        let train = try CIFARBinary.read(files: trainNames.map(directory.appendingPathComponent), family: config.family)
        let test = validation ? train : try CIFARBinary.read(files: testNames.map(directory.appendingPathComponent), family: config.family)
        return try DatasetSplits(config: config, train: train, test: test, validation: validation)
    }

    /// STL-10: the split's image files (and label files), and `test_X.bin`/`test_y.bin`.
    static func loadSTL10(config: DatasetConfig, locator: DatasetLocator, validation: Bool) throws -> DatasetSplits {
        let imageNames = STL10Binary.imageFiles(split: config.split)
        let testNames = validation ? [] : ["test_X.bin", "test_y.bin"]
        let required = imageNames + imageNames.compactMap(STL10Binary.labelFile(forImages:)) + testNames
        let directory = try locator.locateDirectory(named: config.directoryName, containing: required, key: config.key)
        func read(_ names: [String]) throws -> LabeledImages {
            try STL10Binary.read(
                images: names.map(directory.appendingPathComponent),
                labels: names.map { STL10Binary.labelFile(forImages: $0).map(directory.appendingPathComponent) })
        }
        let train = try read(imageNames)
        let test = validation ? train : try read(["test_X.bin"])
        return try DatasetSplits(config: config, train: train, test: test, validation: validation)
    }

    /// ImageNet, ImageNette (`train/` and `val/`) and ImageNetV2 (one folder, also the test set).
    ///
    /// The training folder is listed, the rows are selected from its labels, and only those rows
    /// are decoded, so `ImageNet_1` decodes its 128 116 images, not 1.28 M. `train` then holds
    /// the selected rows only (in file order) and `trainIndices` point into it, in the same
    /// shuffled order as for the other families. ImageNetV2 without validation decodes its one
    /// folder once and evaluates on all of it.
    static func loadImageFolder(config: DatasetConfig, locator: DatasetLocator, validation: Bool) throws -> DatasetSplits {
        try check(config: config, channels: 3)
        let separateFolders = config.family == .imageNet || config.family == .imageNette
        let required = separateFolders ? (validation ? ["train/"] : ["train/", "val/"]) : []
        let directory = try locator.locateDirectory(named: config.directoryName, containing: required, key: config.key)
        let trainFolder = try ImageFolder(
            directory: separateFolders ? directory.appendingPathComponent("train", isDirectory: true) : directory,
            classCount: config.classCount)
        let rows = try selectRows(config: config, labels: trainFolder.labels, validation: validation)
        func decode(_ folder: ImageFolder, _ rows: [Int]) throws -> LabeledImages {
            try folder.decode(
                rows: rows, height: config.height, width: config.width, classCount: config.classCount,
                normalization: config.family.normalization)
        }
        if !separateFolders && !validation {
            try ImageFolder.checkMemory(imageCount: trainFolder.count, imageSize: config.imageSize, key: config.key)
            let all = try decode(trainFolder, Array(0..<trainFolder.count))
            return DatasetSplits(
                config: config, train: all, trainIndices: rows.train, evaluation: all, evaluationIsValidation: false)
        }
        let testFolder = try validation
            ? nil
            : ImageFolder(
                directory: directory.appendingPathComponent("val", isDirectory: true), classCount: config.classCount,
                classNames: trainFolder.classNames)
        let needed = Array(Set(rows.train + rows.validation)).sorted()
        try ImageFolder.checkMemory(
            imageCount: needed.count + (testFolder?.count ?? 0), imageSize: config.imageSize, key: config.key)
        let train = try decode(trainFolder, needed)
        let position = Dictionary(uniqueKeysWithValues: needed.enumerated().map { ($1, $0) })
        let evaluation = try testFolder.map { try decode($0, Array(0..<$0.count)) }
            ?? train.subset(rows.validation.compactMap { position[$0] })
        return DatasetSplits(
            config: config, train: train, trainIndices: rows.train.compactMap { position[$0] }, evaluation: evaluation,
            evaluationIsValidation: validation)
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
