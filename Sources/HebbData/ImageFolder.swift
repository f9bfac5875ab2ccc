import HebbText

/// The listing of an image-folder dataset (torchvision's `ImageFolder`): one sub-folder per
/// class, class index = rank of the folder name in byte order (Python's `sorted`), and in each
/// class folder every JPEG file, also in nested folders, ordered by folder path then file name
/// (`sorted(os.walk(...))`, then `sorted(fnames)`). Samples are class-major in that order.
public struct ImageFolder: Sendable {
    /// File extensions torchvision's `ImageFolder` accepts (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff", "webp"]
    /// The extensions we decode (JPEG only).
    public static let decodedExtensions: Set<String> = ["jpg", "jpeg"]

    /// The listed directory.
    public let directory: URL
    /// Class folder names; label i is `classNames[i]`.
    public let classNames: [String]
    /// Image files, class-major.
    public let files: [URL]
    /// The label of each file.
    public let labels: [Int32]

    /// Lists `directory`. With `classNames` (the training folder's classes) labels follow that
    /// list, so a validation folder missing a class keeps the training labels; a folder that is
    /// not in it is an error.
    ///
    /// - Throws: `noImages` when there is no class folder or no image at all, or more class
    ///   folders than `classCount`; `corruptImage` for an image in a format other than JPEG
    ///   (torchvision would read it; we refuse rather than silently drop it); `unreadable`.
    public init(directory: URL, classCount: Int, classNames: [String]? = nil) throws {
        let folders = try Self.entries(of: directory).filter(\.isDirectory).map(\.name)
        guard !folders.isEmpty else {
            throw DataError.noImages(path: directory.path, reason: "no class folders")
        }
        let names = classNames ?? folders
        guard names.count <= classCount else {
            throw DataError.noImages(
                path: directory.path, reason: "\(names.count) class folders, more than the \(classCount) classes of the dataset")
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var files: [URL] = []
        var labels: [Int32] = []
        for folder in folders {
            guard let label = index[folder] else {
                throw DataError.noImages(
                    path: directory.appendingPathComponent(folder).path, reason: "class folder not in the training classes")
            }
            let images = try Self.images(under: directory.appendingPathComponent(folder, isDirectory: true))
            files += images
            labels += [Int32](repeating: Int32(label), count: images.count)
        }
        guard !files.isEmpty else {
            throw DataError.noImages(path: directory.path, reason: "no .JPEG files in its \(folders.count) class folders")
        }
        self.directory = directory
        self.classNames = names
        self.files = files
        self.labels = labels
    }

    /// Number of images.
    public var count: Int { files.count }

    /// Every image file below `folder`, in `os.walk` order with sorted file names.
    static func images(under folder: URL) throws -> [URL] {
        var found: [(directory: String, name: String, url: URL)] = []
        var pending = [folder]
        while let directory = pending.popLast() {
            for entry in try entries(of: directory) {
                let url = directory.appendingPathComponent(entry.name, isDirectory: entry.isDirectory)
                if entry.isDirectory {
                    pending.append(url)
                    continue
                }
                let suffix = url.pathExtension.lowercased()
                guard imageExtensions.contains(suffix) else { continue }
                guard decodedExtensions.contains(suffix) else {
                    throw DataError.corruptImage(path: url.path, reason: "unsupported image format .\(suffix); only JPEG is decoded")
                }
                found.append((directory.path, entry.name, url))
            }
        }
        found.sort { a, b in
            a.directory == b.directory
                ? a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
                : a.directory.utf8.lexicographicallyPrecedes(b.directory.utf8)
        }
        return found.map(\.url)
    }

    /// The entries of `directory` sorted by name in byte order; directories follow symlinks.
    static func entries(of directory: URL) throws -> [(name: String, isDirectory: Bool)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DataError.unreadable(path: directory.path, reason: DataError.readFailureReason(error))
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
            (name, isFolder(atPath: directory.appendingPathComponent(name).path) == true)
        }
    }
}
