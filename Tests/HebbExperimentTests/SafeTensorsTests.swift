import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

@testable import HebbExperiment

final class SafeTensorsTests: XCTestCase {
    private let path = "/runs/x/model.safetensors"

    /// `{"__metadata__":{"k":"v"},"a":{...}}` is 79 bytes, padded with one space to 80 (0x50).
    private let tinyHeader =
        #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} "#
    private var tinyArchive: SafeTensorsArchive {
        SafeTensorsArchive(
            tensors: ["a": Tensor(shape: [2], scalars: [1, -2])], metadata: ["k": "v"])
    }

    /// A file from a raw header (padded to 8 with spaces) and raw data bytes.
    private func file(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        let length = declaredLength ?? UInt64(headerBytes.count)
        var out = Data((0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) })
        out.append(contentsOf: headerBytes)
        out.append(contentsOf: data)
        return out
    }

    private func entry(_ name: String, _ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int)
        -> String
    {
        #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[\#(begin),\#(end)]}"#
    }

    private func assertDecodeFails(
        _ data: Data, _ expected: CheckpointError? = nil, contains fragment: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(
            try SafeTensorsArchive(decoding: data, path: path), file: file, line: line
        ) {
            error in
            guard let error = error as? CheckpointError else {
                return XCTFail("not a CheckpointError: \(error)", file: file, line: line)
            }
            if let expected { XCTAssertEqual(error, expected, file: file, line: line) }
            let text = error.description
            XCTAssertTrue(text.contains(path), text, file: file, line: line)
            XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
            if let fragment { XCTAssertTrue(text.contains(fragment), text, file: file, line: line) }
        }
    }

    // MARK: - Writing

    func testEncoded_tinyArchive_matchesHandComputedBytes() throws {
        var expected: [UInt8] = [0x50, 0, 0, 0, 0, 0, 0, 0]
        expected += Array(tinyHeader.utf8)
        expected += [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]  // 1.0, -2.0 little-endian
        XCTAssertEqual(tinyHeader.utf8.count, 80)
        XCTAssertEqual([UInt8](try tinyArchive.encoded()), expected)
    }

    func testEncoded_emptyArchive_isBracesPaddedToEight() throws {
        XCTAssertEqual(
            [UInt8](try SafeTensorsArchive().encoded()),
            [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
    }

    func testEncoded_tensorsAreContiguousInSortedNameOrder() throws {
        let archive = SafeTensorsArchive(tensors: [
            "z": Tensor(shape: [1], scalars: [3]), "b": Tensor(shape: [2], scalars: [1, 2]),
        ])
        let data = try archive.encoded()
        let header = String(decoding: data[8..<(data.count - 12)], as: UTF8.self)
        XCTAssertTrue(
            header.contains(#""b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#), header)
        XCTAssertTrue(
            header.contains(#""z":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}"#), header)
        XCTAssertEqual(header.utf8.count % 8, 0)
        XCTAssertFalse(header.contains("__metadata__"))
    }

    func testEncoded_reservedTensorName_throws() {
        let archive = SafeTensorsArchive(tensors: ["__metadata__": Tensor(shape: [1], scalars: [0])]
        )
        XCTAssertThrowsError(try archive.encoded()) { error in
            guard case .invalidEntry(_, "__metadata__", _)? = error as? CheckpointError else {
                return XCTFail("unexpected error \(error)")
            }
        }
    }

    // MARK: - Round trips

    func testRoundTrip_severalTensorsAndMetadata_areReproduced() throws {
        let archive = SafeTensorsArchive(
            tensors: [
                "blocks.0.weight": Tensor(
                    shape: [3, 2, 2], scalars: (0..<12).map { Float($0) * 0.37 - 2 }),
                "blocks.0.bias": Tensor(shape: [3], scalars: [.infinity, -0.0, 1e-38]),
                "scalar": Tensor(shape: [], scalars: [42]),
                "empty": Tensor(shape: [0, 4], scalars: []),
                #"odd "name"\ é"#: Tensor(shape: [1], scalars: [-1]),
            ],
            metadata: ["epoch": "3", "note": "line1\nline2 \"quoted\" \u{1}", "": "empty key"])
        let decoded = try SafeTensorsArchive(decoding: try archive.encoded(), path: path)
        XCTAssertEqual(decoded, archive)
    }

    func testSaveAndLoad_roundTripThroughFile() throws {
        let directory = try makeTemporaryDirectory("safetensors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("run/checkpoints/epoch-1.safetensors")
        try tinyArchive.save(to: url)
        XCTAssertEqual(try SafeTensorsArchive.load(from: url), tinyArchive)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(
                atPath: url.deletingLastPathComponent().path), ["epoch-1.safetensors"])
    }

    func testLoad_missingFile_throwsCannotRead() {
        let url = URL(fileURLWithPath: "/nonexistent-hebb/model.safetensors")
        XCTAssertThrowsError(try SafeTensorsArchive.load(from: url)) { error in
            XCTAssertEqual(
                error as? CheckpointError, .cannotRead(path: url.path, reason: "no such file"))
        }
    }

    // MARK: - Other dtypes

    func testDecoding_f16BF16AndF64_convertToFloat() throws {
        let header =
            "{"
            + [
                entry("bf", "BF16", [2], 0, 4), entry("d", "F64", [1], 4, 12),
                entry("h", "F16", [6], 12, 24),
            ].joined(separator: ",") + "}"
        var data: [UInt8] = [0x80, 0x3F, 0x00, 0xC0]  // bf16 1.0, -2.0
        data += [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]  // f64 1.5
        data += [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0x01, 0x00, 0x00, 0x7C, 0xFF, 0x7B]
        let archive = try SafeTensorsArchive(decoding: file(header: header, data: data), path: path)
        XCTAssertEqual(archive.tensors["bf"]?.scalars, [1, -2])
        XCTAssertEqual(archive.tensors["d"]?.scalars, [1.5])
        XCTAssertEqual(archive.tensors["h"]?.scalars, [1, -2, 0.5, 0x1p-24, .infinity, 65504])
    }

    // MARK: - Corruption

    func testDecoding_shorterThanEightBytes_isTruncated() {
        assertDecodeFails(
            Data([1, 2, 3]), .truncated(path: path, expectedBytes: 8, actualBytes: 3))
        assertDecodeFails(Data(), .truncated(path: path, expectedBytes: 8, actualBytes: 0))
    }

    func testDecoding_truncatedAtSeveralPoints_reportsExpectedAndActualBytes() throws {
        let full = try tinyArchive.encoded()
        XCTAssertEqual(full.count, 96)
        for cut in [7, 8, 9, 50, 87, 88, 90, 95] {
            let expected = cut < 8 ? 8 : (cut < 88 ? 88 : 96)
            assertDecodeFails(
                full.prefix(cut), .truncated(path: path, expectedBytes: expected, actualBytes: cut),
                contains: "truncated: expected \(expected) bytes, found \(cut)")
        }
        assertDecodeFails(full.prefix(90), contains: "delete it or rerun without --resume")
    }

    func testDecoding_hugeHeaderLength_isRejectedWithoutAllocating() throws {
        var data = try tinyArchive.encoded()
        data[7] = 0x80
        assertDecodeFails(
            data, .invalidHeaderLength(path: path, length: 0x8000_0000_0000_0050, fileBytes: 96))
    }

    func testDecoding_flippedHeaderLength_isRejected() throws {
        var longer = try tinyArchive.encoded()
        longer[1] = 0x01  // 0x150 = 336 > file
        assertDecodeFails(longer, .truncated(path: path, expectedBytes: 344, actualBytes: 96))
        var shorter = try tinyArchive.encoded()
        shorter[0] = 0x40  // header cut inside the JSON
        assertDecodeFails(shorter, .invalidHeader(path: path, reason: "not valid UTF-8 JSON"))
    }

    func testDecoding_badJSONOrNonObject_isInvalidHeader() {
        assertDecodeFails(
            file(header: "{not json"), .invalidHeader(path: path, reason: "not valid UTF-8 JSON"))
        assertDecodeFails(
            file(header: "[1, 2]"), .invalidHeader(path: path, reason: "the JSON is not an object"))
        assertDecodeFails(file(header: "", declaredLength: 0), contains: "invalid header")
        var invalidUTF8 = file(header: "{\"a\":1}")
        invalidUTF8[10] = 0xFF
        assertDecodeFails(invalidUTF8, contains: "invalid header")
        assertDecodeFails(file(header: #"{"__metadata__":{"k":1}}"#), contains: "not a string")
        assertDecodeFails(file(header: #"{"__metadata__":[]}"#), contains: "not an object")
    }

    func testDecoding_entryMissingFields_isInvalidEntry() {
        let cases = [
            (#"{"t":{"shape":[1],"data_offsets":[0,4]}}"#, "dtype"),
            (#"{"t":{"dtype":"F32","data_offsets":[0,4]}}"#, "shape"),
            (#"{"t":{"dtype":"F32","shape":[1]}}"#, "data_offsets"),
            (#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, "data_offsets"),
            (#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}"#, "data_offsets"),
            (#"{"t":3}"#, "not an object"),
        ]
        for (header, field) in cases {
            assertDecodeFails(file(header: header, data: [0, 0, 0, 0]), contains: field)
        }
    }

    func testDecoding_unknownDType_isUnsupported() {
        let data = file(
            header: "{" + entry("t", "I64", [1], 0, 8) + "}", data: Array(repeating: 0, count: 8))
        assertDecodeFails(
            data, .unsupportedDType(path: path, tensor: "t", dtype: "I64"), contains: "I64")
    }

    func testDecoding_shapeNotMatchingOffsetSpan_isInvalidEntry() {
        let data = file(
            header: "{" + entry("t", "F32", [3], 0, 8) + "}", data: Array(repeating: 0, count: 8))
        assertDecodeFails(data, contains: "needs 12 bytes, data_offsets span 8")
    }

    func testDecoding_negativeOrOverflowingDims_areInvalidEntries() {
        let negative = file(header: "{" + entry("t", "F32", [-1], 0, 4) + "}", data: [0, 0, 0, 0])
        assertDecodeFails(negative, contains: "non-negative")
        let huge = file(
            header: "{" + entry("t", "F32", [1 << 62, 4], 0, 4) + "}", data: [0, 0, 0, 0])
        assertDecodeFails(huge, contains: "overflows")
        let beyondInt = file(
            header: #"{"t":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}"#)
        assertDecodeFails(beyondInt, contains: "non-negative integers")
    }

    func testDecoding_badOffsets_areRejected() {
        let zeros = [UInt8](repeating: 0, count: 16)
        let overlapping =
            "{" + entry("a", "F32", [2], 0, 8) + "," + entry("b", "F32", [2], 4, 12) + "}"
        assertDecodeFails(file(header: overlapping, data: zeros), contains: "overlaps tensor 'a'")
        let gap = "{" + entry("a", "F32", [1], 0, 4) + "," + entry("b", "F32", [1], 8, 12) + "}"
        assertDecodeFails(file(header: gap, data: Array(zeros[0..<12])), contains: "gap")
        let reversed = "{" + entry("a", "F32", [0], 8, 0) + "}"
        assertDecodeFails(file(header: reversed, data: zeros), contains: "not a valid range")
        let beyond = "{" + entry("a", "F32", [4], 0, 16) + "}"
        let header = Array(file(header: beyond)).count
        assertDecodeFails(
            file(header: beyond, data: Array(zeros[0..<8])),
            .truncated(path: path, expectedBytes: header + 16, actualBytes: header + 8))
    }

    // MARK: - Hostile headers (found by fuzzing)

    func testDecoding_offsetsEndingNearIntMax_isTruncatedNotATrap() {
        let header = "{" + entry("a", "F32", [2_305_843_009_213_693_951], 0, 9_223_372_036_854_775_804) + "}"
        let data = file(header: header, data: [0, 0, 0, 0])
        assertDecodeFails(data, .truncated(path: path, expectedBytes: .max, actualBytes: data.count))
    }

    func testDecoding_emptyTensorWithOverflowingExtents_isInvalidEntry() {
        let header = "{" + entry("a", "F32", [0, 1 << 62, 4], 0, 0) + "}"
        assertDecodeFails(file(header: header), contains: "extent 4611686018427387904 at axis 1 of the shape overflows")
    }

    func testDecoding_lineBreakInNameOrDeepNesting_isOneLineError() {
        let name = #"{"a\nb":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#
        assertDecodeFails(file(header: name, data: [UInt8](repeating: 0, count: 8)), contains: #"tensor 'a\nb'"#)
        let nest = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        assertDecodeFails(file(header: nest), .invalidHeader(path: path, reason: "the JSON is not an object"))
        // Foundation's JSONDecoder traps when the 513th '[' is the input's last byte.
        let opened = String(repeating: "[", count: 513)
        var exact = Data((0..<8).map { UInt8(truncatingIfNeeded: opened.utf8.count >> (8 * $0)) })
        exact.append(contentsOf: opened.utf8)
        assertDecodeFails(exact, .invalidHeader(path: path, reason: "not valid UTF-8 JSON"))
    }

    func testDecoding_dataLongerThanTensors_isTrailingBytes() throws {
        var data = try tinyArchive.encoded()
        data.append(contentsOf: [1, 2, 3, 4])
        assertDecodeFails(data, .trailingBytes(path: path, expectedBytes: 8, actualBytes: 12))
    }

    func testHalfToFloat_specialValues() {
        XCTAssertEqual(SafeTensorsArchive.halfToFloat(0x8000), -0.0)
        XCTAssertEqual(SafeTensorsArchive.halfToFloat(0x8000).sign, .minus)
        XCTAssertEqual(SafeTensorsArchive.halfToFloat(0x03FF), Float(0x3FF) * 0x1p-24)
        XCTAssertEqual(SafeTensorsArchive.halfToFloat(0xFC00), -.infinity)
        XCTAssertTrue(SafeTensorsArchive.halfToFloat(0x7E00).isNaN)
    }
}
