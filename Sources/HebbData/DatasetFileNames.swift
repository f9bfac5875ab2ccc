/// The four IDX file names of an MNIST-style dataset.
public struct DatasetFileNames: Sendable, Equatable {
    /// Training images, idx3 (60000, 28, 28).
    public let trainImages = "train-images-idx3-ubyte"
    /// Training labels, idx1 (60000).
    public let trainLabels = "train-labels-idx1-ubyte"
    /// Test images, idx3 (10000, 28, 28).
    public let testImages = "t10k-images-idx3-ubyte"
    /// Test labels, idx1 (10000).
    public let testLabels = "t10k-labels-idx1-ubyte"

    /// All four, in the order they are searched for.
    public var all: [String] { [trainImages, trainLabels, testImages, testLabels] }
}
