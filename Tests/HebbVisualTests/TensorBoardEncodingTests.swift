import XCTest

@testable import HebbVisual

final class TensorBoardEncodingTests: XCTestCase {
    func testCRC32C_checkVector() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)  // RFC 3720 B.4
        let crc: UInt32 = 0xE306_9283
        XCTAssertEqual(CRC32C.masked(Array("123456789".utf8)), ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
    }

    func testVarints() {
        func encoded(_ value: UInt64) -> [UInt8] {
            var writer = ProtobufWriter()
            writer.varint(value)
            return writer.bytes
        }
        XCTAssertEqual(encoded(0), [0])
        XCTAssertEqual(encoded(1), [1])
        XCTAssertEqual(encoded(127), [0x7F])
        XCTAssertEqual(encoded(300), [0xAC, 0x02])
        XCTAssertEqual(encoded(UInt64.max), [UInt8](repeating: 0xFF, count: 9) + [0x01])
        var negative = ProtobufWriter()
        negative.integer(2, -1)
        XCTAssertEqual(negative.bytes, [0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    func testFields_haveTheirWireFormat() {
        var writer = ProtobufWriter()
        writer.integer(1, 150)  // the protobuf documentation's example: 08 96 01
        writer.string(2, "testing")
        writer.float(2, 1)
        writer.double(1, 0.5)
        writer.packedDoubles(6, [1])
        XCTAssertEqual(writer.bytes, [0x08, 0x96, 0x01, 0x12, 0x07] + Array("testing".utf8) + [0x15, 0, 0, 0x80, 0x3F]
            + [0x09, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F] + [0x32, 0x08, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    func testTFRecord_framesWithMaskedCRCs() {
        let data: [UInt8] = Array("abc".utf8)
        let record = TFRecord.frame(data)
        XCTAssertEqual(record.count, 8 + 4 + 3 + 4)
        XCTAssertEqual(Array(record[0..<8]), [3, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Array(record[8..<12]), TFRecord.littleEndian(CRC32C.masked(record[0..<8])))
        XCTAssertEqual(Array(record[12..<15]), data)
        XCTAssertEqual(Array(record[15...]), TFRecord.littleEndian(CRC32C.masked(data)))
    }

    func testVersionRecord_isTheFileVersionEvent() {
        let record = TensorBoardEvent.versionRecord(wallTime: 2)
        let event = Array(record[12..<(record.count - 4)])
        XCTAssertEqual(event, [0x09, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x1A, 13] + Array("brain.Event:2".utf8))
    }

    func testScalarEvent_bytes() {
        let record = TensorBoardEvent.summaryRecord([.scalar(tag: "a", value: 1)], step: 3, wallTime: 0)
        let event = Array(record[12..<(record.count - 4)])
        // wall_time 0, step 3, summary { value { tag "a", simple_value 1 } }
        let value: [UInt8] = [0x0A, 1, 0x61, 0x15, 0, 0, 0x80, 0x3F]
        XCTAssertEqual(event, [0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 3, 0x2A, UInt8(value.count + 2), 0x0A, UInt8(value.count)] + value)
    }

    func testHistogram_bucketsAndStatistics() {
        let histogram = Histogram(values: [0, 1, 2, 3, .nan], bins: 3)
        XCTAssertEqual([histogram.minimum, histogram.maximum, histogram.count, histogram.sum, histogram.sumOfSquares], [0, 3, 4, 6, 14])
        XCTAssertEqual(histogram.bucketLimits, [1, 2, 3])
        XCTAssertEqual(histogram.buckets, [1, 1, 2])
        let constant = Histogram(values: [2, 2])
        XCTAssertEqual(constant.bucketLimits, [2])
        XCTAssertEqual(constant.buckets, [2])
    }
}
