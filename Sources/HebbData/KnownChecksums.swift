/// Published sizes and SHA-256 digests of the **uncompressed** MNIST and Fashion-MNIST files
/// (gzip bytes differ between mirrors, the uncompressed bytes do not).
///
/// A file is verified only when its byte count equals the real file's size. Files of any other
/// size (the tiny files unit tests write, or subsets someone made on purpose) are accepted
/// without verification: their integrity is still guarded by the IDX header/size checks.
public enum KnownChecksums {
    /// One published file: its size in bytes and its lowercase hex SHA-256.
    public struct Entry: Sendable, Equatable {
        /// Size of the uncompressed file in bytes.
        public let bytes: Int
        /// Lowercase hex SHA-256 of the uncompressed file.
        public let sha256: String
    }

    /// Keyed by `family directory/base file name`, e.g. `mnist/train-images-idx3-ubyte`.
    public static let table: [String: Entry] = [
        "mnist/train-images-idx3-ubyte": Entry(
            bytes: 47_040_016, sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        "mnist/train-labels-idx1-ubyte": Entry(
            bytes: 60008, sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        "mnist/t10k-images-idx3-ubyte": Entry(
            bytes: 7_840_016, sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        "mnist/t10k-labels-idx1-ubyte": Entry(
            bytes: 10008, sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
        "fashion-mnist/train-images-idx3-ubyte": Entry(
            bytes: 47_040_016, sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        "fashion-mnist/train-labels-idx1-ubyte": Entry(
            bytes: 60008, sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        "fashion-mnist/t10k-images-idx3-ubyte": Entry(
            bytes: 7_840_016, sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        "fashion-mnist/t10k-labels-idx1-ubyte": Entry(
            bytes: 10008, sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    ]

    /// The published entry for a family's file, if any.
    public static func entry(family: DatasetFamily, file: String) -> Entry? {
        table["\(family.directoryName)/\(file)"]
    }

    /// Checks `bytes` (the uncompressed content of `file`) against the table when its size is
    /// the published size; returns whether a digest was actually compared.
    @discardableResult
    public static func verify(_ bytes: [UInt8], family: DatasetFamily, file: String, path: String) throws -> Bool {
        guard let entry = entry(family: family, file: file), entry.bytes == bytes.count else { return false }
        let actual = SHA256.hexDigest(bytes)
        guard actual == entry.sha256 else {
            throw DataError.checksumMismatch(path: path, expected: entry.sha256, actual: actual)
        }
        return true
    }
}
