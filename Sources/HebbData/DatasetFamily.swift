/// A family of datasets sharing one file layout; a dataset key is `FAMILY` or `FAMILY_VARIANT`.
public enum DatasetFamily: String, Codable, CaseIterable, Sendable {
    /// LeCun, Cortes & Burges handwritten digits (60 000 train, 10 000 test, 1×28×28).
    case mnist = "MNIST"
    /// Zalando Fashion-MNIST, a drop-in replacement for MNIST with clothing images.
    case fashionMNIST = "FashionMNIST"
    /// Krizhevsky's CIFAR-10 (50 000 train, 10 000 test, 3×32×32, 10 classes), binary version.
    case cifar10 = "CIFAR10"
    /// Krizhevsky's CIFAR-100 (as CIFAR-10, 100 fine classes), binary version.
    case cifar100 = "CIFAR100"
    /// Coates, Lee & Ng's STL-10 (5 000 train, 8 000 test, 100 000 unlabelled, 3×96×96).
    case stl10 = "STL10"
    /// ILSVRC-2012 ImageNet as image folders `train/<wnid>/` and `val/<wnid>/` (1000 classes).
    case imageNet = "ImageNet"
    /// fast.ai's ImageNette (10 easy ImageNet classes), image folders `train/` and `val/`.
    case imageNette = "ImageNette"
    /// ImageNetV2 matched-frequency test set (10 000 images, 1000 class folders).
    case imageNetV2MatchedFrequency = "ImageNetV2MatchedFrequency"
    /// ImageNetV2 threshold-0.7 test set.
    case imageNetV2Threshold07 = "ImageNetV2Threshold07"
    /// ImageNetV2 top-images test set.
    case imageNetV2TopImages = "ImageNetV2TopImages"

    /// How a family's files are stored on disk.
    public enum Storage: Sendable {
        /// Four IDX files (MNIST style), plain or `.gz`.
        case idx
        /// CIFAR binary batches: records of label byte(s) and 3072 pixel bytes.
        case cifarBinary
        /// STL-10 binary: `*_X.bin` images (column-major per channel) and `*_y.bin` labels.
        case stlBinary
        /// One folder of JPEG files per class, class index = rank of the folder name.
        case imageFolder
    }

    /// The family of a key (`FAMILY` or `FAMILY_VARIANT`), or nil.
    public init?(key: String) {
        let family = key.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        self.init(rawValue: String(family))
    }

    /// How the files are stored.
    public var storage: Storage {
        switch self {
        case .mnist, .fashionMNIST: return .idx
        case .cifar10, .cifar100: return .cifarBinary
        case .stl10: return .stlBinary
        case .imageNet, .imageNette, .imageNetV2MatchedFrequency, .imageNetV2Threshold07, .imageNetV2TopImages:
            return .imageFolder
        }
    }

    /// Sub-directory of a search root holding the files: the name the official archive unpacks
    /// to. ImageNette's depends on the key's `px` (see `DatasetConfig.directoryName`); this is
    /// the 160-pixel one every shipped key uses.
    public var directoryName: String {
        switch self {
        case .mnist: return "mnist"
        case .fashionMNIST: return "fashion-mnist"
        case .cifar10: return "cifar-10-batches-bin"
        case .cifar100: return "cifar-100-binary"
        case .stl10: return "stl10_binary"
        case .imageNet: return "imagenet"
        case .imageNette: return "imagenette2-160"
        case .imageNetV2MatchedFrequency: return "imagenetv2-matched-frequency-format-val"
        case .imageNetV2Threshold07: return "imagenetv2-threshold0.7-format-val"
        case .imageNetV2TopImages: return "imagenetv2-top-images-format-val"
        }
    }

    /// Whether the four files may also sit directly in a search root (MNIST only, for the
    /// common "unpacked into one folder" layout).
    public var allowsFilesAtRoot: Bool { self == .mnist }

    /// Images (channels, height, width) of the base key (image folders are resized to it).
    public var imageShape: [Int] {
        switch self {
        case .mnist, .fashionMNIST: return [1, 28, 28]
        case .cifar10, .cifar100: return [3, 32, 32]
        case .stl10: return [3, 96, 96]
        case .imageNette: return [3, 160, 160]
        case .imageNet, .imageNetV2MatchedFrequency, .imageNetV2Threshold07, .imageNetV2TopImages:
            return [3, 256, 256]
        }
    }

    /// Number of label classes.
    public var classCount: Int {
        switch self {
        case .cifar100: return 100
        case .imageNet, .imageNetV2MatchedFrequency, .imageNetV2Threshold07, .imageNetV2TopImages: return 1000
        default: return 10
        }
    }

    /// Base names of the four IDX files (each also accepted with `.gz`); MNIST-style families only.
    public var files: DatasetFileNames { DatasetFileNames() }

    /// The batch-time value of a pixel byte (spec §2.3): byte/255 everywhere, then ImageNet's
    /// mean/std for the ImageNet-style families only.
    public var normalization: PixelNormalization {
        storage == .imageFolder ? .imageNet : .unitRange
    }

    /// Where to get the files and where to put them (the hint of `datasetNotFound`).
    public var downloadHint: String {
        let put = "point --datasets DIR at the folder that holds it"
        switch self {
        case .mnist, .fashionMNIST:
            return "get the files from the MNIST/Fashion-MNIST distribution or "
                + "`apt-get install dataset-fashion-mnist`; point --datasets DIR at them"
        case .cifar10:
            return "download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz "
                + "(unpacks to cifar-10-batches-bin/); \(put)"
        case .cifar100:
            return "download https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz "
                + "(unpacks to cifar-100-binary/); \(put)"
        case .stl10:
            return "download http://ai.stanford.edu/~acoates/stl10/stl10_binary.tar.gz (unpacks to stl10_binary/); \(put)"
        case .imageNette:
            return "download https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz "
                + "(unpacks to imagenette2-160/train and /val; imagenette2.tgz and imagenette2-320.tgz for other px); \(put)"
        case .imageNet:
            return "get ILSVRC2012 train and val from https://image-net.org/download and arrange them as "
                + "imagenet/train/<wnid>/*.JPEG and imagenet/val/<wnid>/*.JPEG; \(put)"
        case .imageNetV2MatchedFrequency, .imageNetV2Threshold07, .imageNetV2TopImages:
            let archive = directoryName.replacing("-format-val", with: "")
            return "download https://huggingface.co/datasets/vaishaal/ImageNetV2/resolve/main/\(archive).tar.gz "
                + "(unpacks to \(directoryName)/<class>/*.jpeg); \(put)"
        }
    }
}
