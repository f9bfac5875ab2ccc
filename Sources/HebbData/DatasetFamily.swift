/// A family of datasets sharing one file layout; a dataset key is `FAMILY` or `FAMILY_VARIANT`.
public enum DatasetFamily: String, Codable, CaseIterable, Sendable {
    /// LeCun, Cortes & Burges handwritten digits (60 000 train, 10 000 test, 1×28×28).
    case mnist = "MNIST"
    /// Zalando Fashion-MNIST, a drop-in replacement for MNIST with clothing images.
    case fashionMNIST = "FashionMNIST"

    /// Sub-directory of a search root holding the files (`mnist`, `fashion-mnist`).
    public var directoryName: String {
        switch self {
        case .mnist: return "mnist"
        case .fashionMNIST: return "fashion-mnist"
        }
    }

    /// Whether the four files may also sit directly in a search root (MNIST only, for the
    /// common "unpacked into one folder" layout).
    public var allowsFilesAtRoot: Bool { self == .mnist }

    /// Images (channels, height, width) of every sample.
    public var imageShape: [Int] { [1, 28, 28] }

    /// Number of label classes.
    public var classCount: Int { 10 }

    /// Base names of the four IDX files (each also accepted with `.gz`).
    public var files: DatasetFileNames { DatasetFileNames() }
}
