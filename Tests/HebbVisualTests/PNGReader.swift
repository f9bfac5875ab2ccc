import CZlib
import Foundation
import XCTest

@testable import HebbVisual

/// An independent PNG decoder for the tests: checks signature, chunk CRCs and IHDR, inflates the
/// IDAT stream with zlib and undoes all five scanline filters.
struct PNGReader {
    let width: Int, height: Int, channels: Int
    let samples: [UInt8]
    let chunkTypes: [String]

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Failure(description: "bad signature") }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        var offset = 8
        var (types, idat, header) = ([String](), [UInt8](), [UInt8]())
        while offset + 12 <= bytes.count {
            let length = u32(offset)
            let typed = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            guard UInt32(u32(offset + 8 + length)) == UInt32(crc32(0, typed, uInt(typed.count))) else { throw Failure(description: "bad CRC") }
            let type = String(decoding: typed[0..<4], as: UTF8.self)
            types.append(type)
            if type == "IHDR" { header = Array(typed[4...]) }
            if type == "IDAT" { idat += typed[4...] }
            offset += 12 + length
        }
        guard offset == bytes.count, header.count == 13 else { throw Failure(description: "bad chunk layout") }
        let w = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        let h = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
        guard header[8] == 8, header[10] == 0, header[11] == 0, header[12] == 0 else { throw Failure(description: "unsupported IHDR") }
        let bpp: Int
        switch header[9] { case 0: bpp = 1; case 2: bpp = 3; default: throw Failure(description: "colour type \(header[9])") }
        let stride = w * bpp
        var raw = [UInt8](repeating: 0, count: (stride + 1) * h)
        var length = uLongf(raw.count)
        guard uncompress(&raw, &length, idat, uLong(idat.count)) == Z_OK, Int(length) == raw.count else { throw Failure(description: "inflate failed") }
        var out = [UInt8](repeating: 0, count: stride * h)
        for row in 0..<h {
            let filter = raw[row * (stride + 1)]
            for i in 0..<stride {
                let x = Int(raw[row * (stride + 1) + 1 + i])
                let left = i >= bpp ? Int(out[row * stride + i - bpp]) : 0
                let up = row > 0 ? Int(out[(row - 1) * stride + i]) : 0
                let upLeft = row > 0 && i >= bpp ? Int(out[(row - 1) * stride + i - bpp]) : 0
                let p: Int
                switch filter {
                case 0: p = 0
                case 1: p = left
                case 2: p = up
                case 3: p = (left + up) / 2
                case 4:
                    let e = left + up - upLeft
                    let (a, b, c) = (abs(e - left), abs(e - up), abs(e - upLeft))
                    p = a <= b && a <= c ? left : (b <= c ? up : upLeft)
                default: throw Failure(description: "filter \(filter)")
                }
                out[row * stride + i] = UInt8((x + p) & 0xFF)
            }
        }
        (width, height, channels, samples, chunkTypes) = (w, h, bpp, out, types)
    }
}
