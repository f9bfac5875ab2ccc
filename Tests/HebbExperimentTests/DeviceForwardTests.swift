import Foundation
import HebbData
import HebbModel
import HebbTensor
import XCTest

@testable import HebbExperiment

/// The frozen blocks' forward on a backend (`DeviceForward`, `--device cuda`'s code path) run on
/// the CPU backend gives the host's features (`FeatureSource.run`), chunk by chunk.
final class DeviceForwardTests: XCTestCase {
    /// 4SoftHebbCnnCIFAR-shaped but tiny: BN2d → softkrotov c8 k5 p2 → triangle 0.7 → max 4/2/1,
    /// then BN2d → softkrotov c16 k3 p1 → triangle 1.4 → avg 2/2/0, on 3×12×12 images.
    static let convolutionLayers = "softkrotov-c8-k5-p2-t1-lr0.08-lp0.5:batchnorm2d:triangle_0.7:max_4_2_1"
        + "+softkrotov-c16-k3-p1-t0.65-lr0.005-lp0.5:batchnorm2d:triangle_1.4:avg_2_2_0+BP-c10:dropout0.5"

    func testTwoConvolutionalBlocksOnCPUBackendGiveTheHostFeaturesInAnyChunking() throws {
        var problem = DeviceParity.ForwardProblem(name: "tiny", layers: Self.convolutionLayers, blocks: 2, channels: 3, size: 12, samples: 23)
        // Work buffers per image: 2 × 1152 activations, 144 × 75 patches, 1152 position rows.
        let bytesPerImage = (2 * 1152 + 144 * 75 + 1152) * 4
        for (chunkBytes, rows) in [(DeviceForward.defaultChunkBytes, 23), (5 * bytesPerImage, 5), (bytesPerImage / 2, 1)] {
            problem.chunkBytes = chunkBytes
            let forward = try DeviceForward(backend: CPUBackend(), prefix: try problem.prefix(), inputWidth: 3 * 12 * 12, chunkBytes: chunkBytes)
            XCTAssertEqual(min(forward.chunkRows, 23), rows, "chunk rows")
            let result = try DeviceParity.compare(problem, backend: CPUBackend())
            XCTAssertEqual(result.features, 16 * 3 * 3)
            XCTAssertLessThanOrEqual(result.relativeError, 1e-5, "chunks of \(rows)")
            // The CPU backend runs the host's arithmetic; only OpenBLAS may round a product of
            // another row count differently (measured: 3.6e-7 in chunks of 5 and of 1).
            if rows == 23 { XCTAssertEqual(result.relativeError, 0, "one chunk, as the host's") }
        }
    }

    func testEveryLayerKindNormActivationAndPoolMatchesTheHostForward() throws {
        // p = 3 Hebbian conv (ŵ by signedPower) with centred patches and dropout (off in evaluation);
        // SoftHebb's e1 pre-triangle with an output norm and softmax; a BP conv with bias and padded
        // average pool; a Hebbian fully connected layer with BN1d and hard max; BP linear layers.
        let layers = "hardkrotov-c8-k3-p1-lb3-rank2-a0.4-lr0.04-center1:batchnorm2d:dropout0.3:repu_0.7:max_2_2_0"
            + "+soft-c12-k3-p1-t1-e1:outbn:softmax_2:max_3_1_1+BP-c6-k3-p1-b1:batchnorm2d:tanh_0.5:avg_3_2_1"
            + "+softkrotov-c10-t1:bn:hard+BP-c7:relu+BP-c5:exp_0.3+BP-c10:sigmoid_10"
        for blocks in [3, 6, 7] {
            let problem = DeviceParity.ForwardProblem(name: "mixed", layers: layers, blocks: blocks, channels: 3, size: 10, samples: 9, chunkBytes: 1 << 14)
            let prefix = try problem.prefix()
            XCTAssertNil(DeviceForward.problem(of: prefix))
            if blocks == 3 {
                XCTAssertEqual(prefix.blocks[0].hebbianLayer?.lebesguePower, 3)
                XCTAssertEqual(prefix.blocks[0].hebbianLayer?.centersPatches, true)
                XCTAssertEqual(prefix.blocks[1].hebbianLayer?.preTriangle, true)
                XCTAssertNotNil(prefix.blocks[1].outputNorm)
                guard case .convolution(let convolution) = prefix.blocks[2].layer else { return XCTFail("block 2 is a BP conv") }
                XCTAssertNotNil(convolution.bias)
            }
            let result = try DeviceParity.compare(problem, backend: CPUBackend())
            XCTAssertLessThanOrEqual(result.relativeError, 1e-6, "\(blocks) blocks")
        }
    }

    func testBlocksTheDeviceCannotRunAreNamedWithTheReason() throws {
        let grouped = DeviceParity.ForwardProblem(
            name: "grouped", layers: "softkrotov-c8-k3-p1:batchnorm2d:triangle_1+soft-c8-k3-p1-g2:triangle_1+BP-c10", blocks: 2,
            channels: 4, size: 8, samples: 1)
        XCTAssertEqual(DeviceForward.problem(of: try grouped.prefix()), "block 1 has a convolution of 2 groups; the device runs one")
        XCTAssertNil(DeviceForward.problem(of: Model(blocks: [])))
    }
}
