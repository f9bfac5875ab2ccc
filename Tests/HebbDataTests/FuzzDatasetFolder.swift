import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import HebbData
import HebbTestSupport
import XCTest

/// A folder of small valid dataset files that fuzz inputs damage one file at a time.
///
/// `load` writes the damaged file, runs the real loader over the folder, and leaves the damage
/// in place until an input damages another file (then the valid file goes back first), so every
/// input sees exactly one damaged file. Writes skip `fsync` (Foundation's `Data.write` syncs,
/// which would dominate the run). `assertUntouched` restores the last damage and checks that
/// reading created, removed and changed nothing.
final class FuzzDatasetFolder {
    /// The search root handed to `DatasetLocator`.
    let root: URL
    /// The folder holding the files.
    let directory: URL
    /// The valid files, by name, sorted.
    let originals: [(name: String, bytes: [UInt8])]
    /// The file currently holding damaged bytes, if any.
    private var damagedName: String?

    /// Reads the valid files `directory` holds (written by the caller).
    init(root: URL, directory: URL) throws {
        self.root = root
        self.directory = directory
        originals = try DatasetWriters.files(under: directory).map {
            ($0, [UInt8](try Data(contentsOf: directory.appendingPathComponent($0))))
        }
    }

    /// One fuzz input: the file to damage and its new bytes.
    struct Damage {
        /// Which file.
        var name: String
        /// Its damaged bytes.
        var bytes: [UInt8]
    }

    /// A damage of a random file: byte mutations with `fields(name, bytes)` as header fields,
    /// or (for record files) whole records added or removed.
    func damage(
        _ mutator: inout Mutator, recordBytes: ((String) -> Int?)? = nil,
        fields: (String, [UInt8]) -> [Mutator.Field] = { _, _ in [] }
    ) -> Damage {
        let (name, bytes) = mutator.pick(originals)
        if let record = recordBytes?(name), mutator.chance(0.15) {
            let records = bytes.count / record
            let kept = mutator.pick([0, 1, records - 1, records + 1, records + 2].filter { $0 >= 0 })
            let repeated = (0..<kept).flatMap { bytes[(($0 % max(records, 1)) * record)..<(($0 % max(records, 1) + 1) * record)] }
            return Damage(name: name, bytes: Array(repeated))
        }
        return Damage(name: name, bytes: mutator.mutate(bytes, fields: fields(name, bytes)))
    }

    /// Runs `body` with `damage` written and every other file valid.
    func load<T>(_ damage: Damage, _ body: (DatasetLocator) throws -> T) throws -> T {
        if let damagedName, damagedName != damage.name { try restore() }
        try Self.writeUnsynced(damage.bytes, to: directory.appendingPathComponent(damage.name))
        damagedName = damage.name
        return try body(DatasetLocator(roots: [root.path]))
    }

    /// Writes the valid bytes back over the damaged file.
    private func restore() throws {
        guard let name = damagedName, let original = originals.first(where: { $0.name == name }) else { return }
        try Self.writeUnsynced(original.bytes, to: directory.appendingPathComponent(name))
        damagedName = nil
    }

    /// Replaces the file at `url` with `bytes`, without `fsync`.
    static func writeUnsynced(_ bytes: [UInt8], to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { buffer in buffer.isEmpty ? 0 : write(descriptor, buffer.baseAddress, buffer.count) }
        guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Restores the last damage, then fails unless the folder holds exactly the valid files,
    /// byte for byte.
    func assertUntouched(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try restore(), file: file, line: line)
        XCTAssertEqual(
            DatasetWriters.files(under: directory), originals.map(\.name).sorted(), "reading created or removed files",
            file: file, line: line)
        for (name, bytes) in originals {
            let now = (try? Data(contentsOf: directory.appendingPathComponent(name))).map { [UInt8]($0) }
            XCTAssertEqual(now, bytes, "\(name) changed", file: file, line: line)
        }
    }

    /// Fails unless the search root holds exactly the valid files of `folders` (nothing cached
    /// or written beside them).
    static func assertRootHoldsOnly(_ folders: [FuzzDatasetFolder], file: StaticString = #filePath, line: UInt = #line) {
        guard let root = folders.first?.root else { return }
        let expected = folders.flatMap { folder in folder.originals.map { folder.directory.appendingPathComponent($0.name).standardizedFileURL.path } }
        let found = DatasetWriters.files(under: root).map { root.appendingPathComponent($0).standardizedFileURL.path }
        XCTAssertEqual(found.sorted(), expected.sorted(), "reading wrote files", file: file, line: line)
    }

    /// What is wrong with loaded splits (counts, labels, indices), or nil.
    static func problem(in splits: DatasetSplits) -> String? {
        for (name, set) in [("train", splits.train), ("evaluation", splits.evaluation)] {
            if set.pixels.count != set.count * set.imageSize { return "\(name): \(set.pixels.count) pixels for \(set.count) images" }
            if let bad = set.labels.first(where: { $0 >= set.classCount || $0 < -1 }) { return "\(name): label \(bad)" }
        }
        if let bad = splits.trainIndices.first(where: { $0 < 0 || $0 >= splits.train.count }) { return "train index \(bad)" }
        return nil
    }
}
