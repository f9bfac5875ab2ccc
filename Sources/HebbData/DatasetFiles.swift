import HebbText

/// The four located files of an MNIST-style dataset (each the plain or the `.gz` file found).
public struct DatasetFiles: Sendable, Equatable {
    /// The directory they were found in.
    public let directory: URL
    /// Training images (idx3).
    public let trainImages: URL
    /// Training labels (idx1).
    public let trainLabels: URL
    /// Test images (idx3).
    public let testImages: URL
    /// Test labels (idx1).
    public let testLabels: URL
}
