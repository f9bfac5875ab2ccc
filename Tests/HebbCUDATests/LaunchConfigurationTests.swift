import XCTest

@testable import HebbCUDA

/// Host-side launch parameters: grid sizes and argument packing.
final class LaunchConfigurationTests: XCTestCase {
    func testElementwiseGridCoversEveryElementAndCapsForGridStride() {
        XCTAssertEqual(LaunchConfiguration.elementwise(count: 0), LaunchConfiguration(blocks: 0, threads: 256))
        XCTAssertEqual(LaunchConfiguration.elementwise(count: 1).blocks, 1)
        XCTAssertEqual(LaunchConfiguration.elementwise(count: 256).blocks, 1)
        XCTAssertEqual(LaunchConfiguration.elementwise(count: 257).blocks, 2)
        XCTAssertEqual(LaunchConfiguration.elementwise(count: 2000 * 784).blocks, 6125)
        // 60 000 MNIST images × 784: more than the cap, so the kernels loop (grid-stride).
        XCTAssertEqual(LaunchConfiguration.elementwise(count: 60_000 * 784).blocks, LaunchConfiguration.maximumGridStrideBlocks)
    }

    func testPerRowAndPerColumnGrids() {
        XCTAssertEqual(LaunchConfiguration.perRow(rows: 100), LaunchConfiguration(blocks: 100, threads: 256))
        XCTAssertEqual(LaunchConfiguration.perColumn(columns: 2000).blocks, 8)
        XCTAssertEqual(LaunchConfiguration.perColumn(columns: 2048).blocks, 8)
        XCTAssertEqual(LaunchConfiguration.perColumn(columns: 2049).blocks, 9)
        XCTAssertEqual(LaunchConfiguration.perColumn(columns: 0).blocks, 0)
    }

    func testColumnChunkGridHasOneBlockPerTileAndChunk() {
        // CIFAR block 0: 10 images × 1024 positions, 96 filters: 3 tiles of 32 columns × 40 chunks of 256 rows.
        XCTAssertEqual(LaunchConfiguration.columnChunks(rows: 10_240, columns: 96), LaunchConfiguration(blocks: 120, threads: 256))
        XCTAssertEqual(LaunchConfiguration.columnChunks(rows: 257, columns: 33).blocks, 4)
        XCTAssertEqual(LaunchConfiguration.columnChunks(rows: 0, columns: 96).blocks, 0)
        XCTAssertEqual(KernelSources.chunkColumns * 8, KernelSources.threadsPerBlock, "32 columns × 8 row lanes")
    }

    func testArgumentsArePackedByValueInOrder() {
        let arguments: [KernelArgument] = [.pointer(0x1234_5678_9abc), .count(-7), .float(1.5), .pointer(0)]
        XCTAssertEqual(arguments.map(\.bytes.count), [8, 4, 4, 8])
        let read = KernelArgument.withParameterArray(arguments) { parameters in
            (parameters[0]!.load(as: UInt64.self), parameters[1]!.load(as: Int32.self),
             parameters[2]!.load(as: Float.self), parameters[3]!.load(as: UInt64.self))
        }
        XCTAssertEqual(read.0, 0x1234_5678_9abc)
        XCTAssertEqual(read.1, -7)
        XCTAssertEqual(read.2, 1.5)
        XCTAssertEqual(read.3, 0)
    }
}
