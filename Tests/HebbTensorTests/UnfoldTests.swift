import Foundation
import HebbTensor
import HebbTestSupport
import XCTest

/// Unfold, fold and the channel layout changes against direct oracles and hand-checked values.
final class UnfoldTests: XCTestCase {
    /// Geometries covering reflect and zeros padding, stride, dilation, groups, k = 1, even k and
    /// non-square inputs.
    private let geometries: [ConvolutionGeometry] = [
        .init(inputChannels: 3, inputHeight: 8, inputWidth: 8, outputChannels: 4, kernelSize: 3, padding: 1),
        .init(
            inputChannels: 3, inputHeight: 8, inputWidth: 8, outputChannels: 4, kernelSize: 3, padding: 1,
            paddingMode: .zeros),
        .init(inputChannels: 2, inputHeight: 9, inputWidth: 7, outputChannels: 3, kernelSize: 3, stride: 2, padding: 1),
        .init(inputChannels: 2, inputHeight: 7, inputWidth: 9, outputChannels: 3, kernelSize: 3, padding: 2, dilation: 2),
        .init(inputChannels: 4, inputHeight: 6, inputWidth: 6, outputChannels: 6, kernelSize: 3, padding: 1, groups: 2),
        .init(
            inputChannels: 3, inputHeight: 5, inputWidth: 6, outputChannels: 6, kernelSize: 3, padding: 1, groups: 3,
            paddingMode: .zeros),
        .init(inputChannels: 5, inputHeight: 5, inputWidth: 4, outputChannels: 3, kernelSize: 1, stride: 2),
        .init(inputChannels: 2, inputHeight: 6, inputWidth: 5, outputChannels: 4, kernelSize: 5, padding: 2),
        .init(
            inputChannels: 2, inputHeight: 5, inputWidth: 6, outputChannels: 2, kernelSize: 2, padding: 1,
            paddingMode: .zeros),
    ]

    /// Convolution through unfold: per group, patches[:, group columns] · W_gᵀ, then channelsFirst.
    private func convolveByUnfolding(_ x: Tensor, weight: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
        let patches = x.unfolded(g)
        var rows = [Float](repeating: 0, count: patches.rows * g.outputChannels)
        patches.scalars.withUnsafeBufferPointer { a in
            weight.scalars.withUnsafeBufferPointer { w in
                rows.withUnsafeMutableBufferPointer { c in
                    guard let a = a.baseAddress, let w = w.baseAddress, let c = c.baseAddress else { return }
                    for group in 0..<g.groups {
                        BLAS.gemm(
                            .none, .transposed, m: patches.rows, n: g.groupOutputChannels, k: g.patchWidth,
                            a: a + group * g.patchWidth, lda: patches.columns,
                            b: w + group * g.groupOutputChannels * g.patchWidth, ldb: g.patchWidth,
                            c: c + group * g.groupOutputChannels, ldc: g.outputChannels)
                    }
                }
            }
        }
        return Tensor(shape: [patches.rows, g.outputChannels], scalars: rows)
            .channelsFirst(channels: g.outputChannels, positions: g.positions)
    }

    private func dot(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    // MARK: unfold

    func testUnfoldTimesWeights_matchesDirectConvolution_forSeveralGeometries() {
        var rng = SeededGenerator(seed: 40)
        for g in geometries {
            XCTAssertNil(g.problem, "\(g)")
            let x = Tensor.normal([3, g.inputSize], using: &rng)
            let weight = Tensor.normal([g.outputChannels, g.patchWidth], using: &rng)
            assertClose(
                convolveByUnfolding(x, weight: weight, geometry: g),
                Reference.convolution2D(x: x, weight: weight, geometry: g), atol: 1e-5, rtol: 1e-4, "\(g)")
        }
    }

    func testUnfold_equalsReferenceUnfoldExactly() {
        var rng = SeededGenerator(seed: 41)
        for g in geometries {
            let x = Tensor.normal([2, g.inputSize], using: &rng)
            XCTAssertEqual(x.unfolded(g), Reference.unfold(x, geometry: g), "\(g)")
        }
    }

    func testUnfoldIntoBuffer_overwritesEveryElement_andMatchesUnfolded() {
        var rng = SeededGenerator(seed: 42)
        for g in geometries {
            let x = Tensor.normal([2, g.inputSize], using: &rng)
            let expected = x.unfolded(g)
            // One spare element at the end must stay untouched.
            var buffer = [Float](repeating: .nan, count: expected.count + 1)
            x.scalars.withUnsafeBufferPointer { input in
                buffer.withUnsafeMutableBufferPointer {
                    Tensor.unfold(input, batch: 2, geometry: g, into: $0)
                }
            }
            XCTAssertEqual(Array(buffer.prefix(expected.count)), expected.scalars, "\(g)")
            XCTAssertTrue(buffer[expected.count].isNaN)
        }
    }

    func testUnfold_handCheckedPatches_forReflectAndZerosPadding() {
        // Image [[1 2 3] [4 5 6] [7 8 9]], k3 p1. Reflect reads index −1 as 1 and 3 as 1.
        let image = Tensor(shape: [1, 9], scalars: (1...9).map { Float($0) })
        var g = ConvolutionGeometry(
            inputChannels: 1, inputHeight: 3, inputWidth: 3, outputChannels: 1, kernelSize: 3, padding: 1)
        let reflect = image.unfolded(g)
        XCTAssertEqual(reflect.shape, [9, 9])
        XCTAssertEqual(Array(reflect.scalars[0..<9]), [5, 4, 5, 2, 1, 2, 5, 4, 5])
        XCTAssertEqual(Array(reflect.scalars[18..<27]), [5, 6, 5, 2, 3, 2, 5, 6, 5])
        XCTAssertEqual(Array(reflect.scalars[36..<45]), [1, 2, 3, 4, 5, 6, 7, 8, 9])
        XCTAssertEqual(Array(reflect.scalars[72..<81]), [5, 6, 5, 8, 9, 8, 5, 6, 5])
        g.paddingMode = .zeros
        let zeros = image.unfolded(g)
        XCTAssertEqual(Array(zeros.scalars[0..<9]), [0, 0, 0, 0, 1, 2, 0, 4, 5])
        XCTAssertEqual(Array(zeros.scalars[72..<81]), [5, 6, 0, 8, 9, 0, 0, 0, 0])
    }

    // MARK: fold

    func testFolded_isAdjointOfUnfolded() {
        var rng = SeededGenerator(seed: 43)
        for g in geometries {
            let x = Tensor.normal([3, g.inputSize], using: &rng)
            let patches = Tensor.normal([3 * g.positions, g.inputChannels * g.kernelSize * g.kernelSize], using: &rng)
            let lhs = dot(x.unfolded(g), patches)
            let rhs = dot(x, Tensor.folded(patches, geometry: g, batch: 3))
            XCTAssertEqual(lhs, rhs, accuracy: 1e-4 * max(1, abs(lhs)), "\(g)")
        }
    }

    func testFolded_ofOnes_countsReadsPerPixel_withReflectMirroring() {
        // Per axis (3 pixels, k3 p1) reflect reads pixels 0, 1, 2 twice, 5 and twice; zeros 2, 3, 2.
        var g = ConvolutionGeometry(
            inputChannels: 1, inputHeight: 3, inputWidth: 3, outputChannels: 1, kernelSize: 3, padding: 1)
        let ones = Tensor(repeating: 1, shape: [9, 9])
        XCTAssertEqual(Tensor.folded(ones, geometry: g, batch: 1).scalars, [4, 10, 4, 10, 25, 10, 4, 10, 4])
        g.paddingMode = .zeros
        XCTAssertEqual(Tensor.folded(ones, geometry: g, batch: 1).scalars, [4, 6, 4, 6, 9, 6, 4, 6, 4])
    }

    // MARK: layout

    func testChannelsLast_handExample() {
        // Two samples, channels 2, positions 3.
        let x = Tensor(shape: [2, 6], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        let last = x.channelsLast(channels: 2)
        XCTAssertEqual(last.shape, [6, 2])
        XCTAssertEqual(last.scalars, [1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12])
        XCTAssertEqual(last.channelsFirst(channels: 2, positions: 3), x)
    }

    func testChannelsLastThenFirst_roundTrips_forLargeAndOddShapes() {
        var rng = SeededGenerator(seed: 44)
        for (batch, channels, positions) in [(1, 1, 1), (3, 5, 7), (2, 384, 64), (2, 33, 65)] {
            let x = Tensor.normal([batch, channels * positions], using: &rng)
            let last = x.channelsLast(channels: channels)
            XCTAssertEqual(last.shape, [batch * positions, channels])
            let (b, p, c) = (batch - 1, positions - 1, channels - 1)
            XCTAssertEqual(last[b * positions + p, c], x[b, c * positions + p])
            XCTAssertEqual(last.channelsFirst(channels: channels, positions: positions), x)
        }
    }

    // MARK: geometry

    func testOutputSizes_matchSoftHebbNetworks() {
        func conv(_ size: Int, _ k: Int, _ p: Int) -> Int {
            ConvolutionGeometry(
                inputChannels: 3, inputHeight: size, inputWidth: size, outputChannels: 96, kernelSize: k, padding: p
            ).outputHeight
        }
        XCTAssertEqual(conv(32, 5, 2), 32)
        XCTAssertEqual(conv(28, 5, 2), 28)
        XCTAssertEqual(conv(32, 5, 1), 30)
        XCTAssertEqual(conv(16, 3, 1), 16)
        let g = ConvolutionGeometry(
            inputChannels: 384, inputHeight: 16, inputWidth: 16, outputChannels: 1536, kernelSize: 3, padding: 1)
        XCTAssertEqual([g.positions, g.patchWidth, g.inputSize], [256, 3456, 98304])
        let grouped = ConvolutionGeometry(
            inputChannels: 6, inputHeight: 9, inputWidth: 11, outputChannels: 4, kernelSize: 3, stride: 2,
            dilation: 2, groups: 2)
        XCTAssertEqual([grouped.outputHeight, grouped.outputWidth], [3, 4])
        XCTAssertEqual([grouped.groupInputChannels, grouped.groupOutputChannels, grouped.patchWidth], [3, 2, 27])
    }

    func testProblem_namesEachInvalidGeometry() {
        let base = ConvolutionGeometry(
            inputChannels: 4, inputHeight: 5, inputWidth: 5, outputChannels: 6, kernelSize: 3, padding: 1, groups: 2)
        XCTAssertNil(base.problem)
        var cases: [(ConvolutionGeometry, String)] = []
        var g = base
        g.groups = 3
        cases.append((g, "divisible"))
        g = base
        g.outputChannels = 5
        cases.append((g, "output channels 5"))
        g = base
        g.padding = 5
        cases.append((g, "reflect padding"))
        g.inputHeight = 6
        cases.append((g, "reflect padding"))  // width 5 still too small
        g = base
        g.kernelSize = 0
        cases.append((g, "kernel size"))
        g = base
        g.stride = 0
        cases.append((g, "stride"))
        g = base
        g.padding = -1
        cases.append((g, "non-negative"))
        g = base
        g.kernelSize = 4
        g.padding = 0
        g.dilation = 2
        cases.append((g, "empty"))
        for (geometry, fragment) in cases {
            let problem = geometry.problem
            XCTAssertNotNil(problem, "\(geometry)")
            XCTAssertTrue(problem?.contains(fragment) ?? false, "\(problem ?? "nil") lacks '\(fragment)'")
        }
        // Zero padding may be as wide as the input.
        g = base
        g.padding = 5
        g.paddingMode = .zeros
        XCTAssertNil(g.problem)
    }

    func testGeometry_roundTripsThroughJSON() throws {
        let g = geometries[5]
        let decoded = try JSONDecoder().decode(ConvolutionGeometry.self, from: JSONEncoder().encode(g))
        XCTAssertEqual(decoded, g)
    }
}
