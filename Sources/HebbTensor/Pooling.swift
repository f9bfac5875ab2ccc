// 2-D max and average pooling over rows (B, C·H·W), as SoftHebb's blocks use them
// (spec softhebb.md §1.6): MaxPool2d(k, s, p) pads with −∞, AvgPool2d(k, s, p) keeps PyTorch's
// count_include_pad = true, neither uses ceil mode.

/// What a pooling forward pass remembers for backward.
public struct PoolTrace: Sendable {
    /// Max pooling: for each output (B·C·outH·outW, row-major), the flat index within its sample,
    /// `c·H·W + y·W + x`, of the window's maximum (first in scan order on ties); −1 would mark a
    /// window with no image pixel, which a valid geometry never has. Empty for average pooling.
    public let maxIndices: [Int32]

    /// A trace holding `maxIndices` (empty for average pooling).
    public init(maxIndices: [Int32] = []) { self.maxIndices = maxIndices }
}

extension Tensor {
    /// Pools `self` (B, C·H·W) to (B, C·outH·outW) and returns the trace `poolBackward` needs.
    public func pooled(_ geometry: PoolGeometry) -> (output: Tensor, trace: PoolTrace) {
        if let problem = geometry.problem { preconditionFailure("pooled: \(problem)") }
        let plan = PoolPlan(geometry)
        precondition(
            rank >= 2 && columns == plan.channels * plan.planeSize,
            "pooled: input \(shape) should be [B, \(plan.channels * plan.planeSize)]")
        let planes = rows * plan.channels
        var output = [Float](repeating: 0, count: planes * plan.outputPlaneSize)
        var indices: [Int32] = []
        scalars.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { result in
                switch geometry.kind {
                case .max:
                    indices = plan.maxPool(input, planes: planes, into: result)
                case .average:
                    plan.averagePool(input, planes: planes, into: result)
                }
            }
        }
        return (
            Tensor(shape: [rows, plan.channels * plan.outputPlaneSize], scalars: output),
            PoolTrace(maxIndices: indices)
        )
    }

    /// Gradient with respect to the pool input (B, C·H·W) for the output gradient `dy`
    /// (B, C·outH·outW). Max routes each output's gradient to its recorded maximum; average
    /// spreads it as `dy/(k·k)` over the window's image pixels (padding takes its share away).
    public static func poolBackward(_ dy: Tensor, geometry: PoolGeometry, trace: PoolTrace) -> Tensor {
        if let problem = geometry.problem { preconditionFailure("poolBackward: \(problem)") }
        let plan = PoolPlan(geometry)
        let outputsPerSample = plan.channels * plan.outputPlaneSize
        precondition(
            dy.rank >= 2 && dy.columns == outputsPerSample,
            "poolBackward: dy \(dy.shape) should be [B, \(outputsPerSample)]")
        let batch = dy.rows
        let sampleSize = plan.channels * plan.planeSize
        var gradient = [Float](repeating: 0, count: batch * sampleSize)
        if geometry.kind == .max {
            precondition(
                trace.maxIndices.count == dy.count,
                "poolBackward: trace has \(trace.maxIndices.count) indices for \(dy.count) outputs")
        }
        dy.scalars.withUnsafeBufferPointer { upstream in
            gradient.withUnsafeMutableBufferPointer { result in
                switch geometry.kind {
                case .max:
                    trace.maxIndices.withUnsafeBufferPointer { indices in
                        for sample in 0..<batch {
                            let (base, target) = (sample &* outputsPerSample, sample &* sampleSize)
                            for o in 0..<outputsPerSample {
                                let index = Int(indices[base &+ o])
                                guard index >= 0 else { continue }
                                precondition(index < sampleSize, "poolBackward: trace index \(index) too large")
                                result[target &+ index] += upstream[base &+ o]
                            }
                        }
                    }
                case .average:
                    plan.averageBackward(upstream, planes: batch * plan.channels, into: result)
                }
            }
        }
        return Tensor(shape: [batch, sampleSize], scalars: gradient)
    }
}

/// Sizes and per-axis window tables of one pooling call, computed once, with the per-plane loops.
private struct PoolPlan {
    let channels, height, width, outputHeight, outputWidth, planeSize, outputPlaneSize: Int
    let kernelSize: Int
    /// Window bounds per output row / column (see `PoolGeometry.windowTable`).
    let rowWindows, columnWindows: [Int]
    /// Entry t·outW + ox: the column `ox·s + t − p` that tap t of window ox reads, clamped to
    /// [0, W). A clamped tap re-reads the window's first or last pixel just before or after its
    /// real read, which never changes the running max or its index (only a strictly greater
    /// value or a NaN replaces it), so the max loop needs no border branches.
    let columnSources: [Int32]
    /// 1/(k·k): count_include_pad divides by the full window.
    let scale: Float

    init(_ g: PoolGeometry) {
        (channels, height, width) = (g.channels, g.inputHeight, g.inputWidth)
        (outputHeight, outputWidth) = (g.outputHeight, g.outputWidth)
        (planeSize, outputPlaneSize) = (g.inputHeight * g.inputWidth, g.outputHeight * g.outputWidth)
        kernelSize = g.kernelSize
        rowWindows = g.windowTable(inputExtent: g.inputHeight, outputExtent: g.outputHeight)
        columnWindows = g.windowTable(inputExtent: g.inputWidth, outputExtent: g.outputWidth)
        scale = 1 / Float(g.kernelSize * g.kernelSize)
        columnSources = (0..<g.kernelSize).flatMap { t in
            (0..<g.outputWidth).map { ox in
                Int32(min(max(ox * g.stride + t - g.padding, 0), g.inputWidth - 1))
            }
        }
    }

    /// Max-pools `planes` consecutive planes; returns the trace's sample-relative indices.
    func maxPool(
        _ input: UnsafeBufferPointer<Float>, planes: Int, into output: UnsafeMutableBufferPointer<Float>
    ) -> [Int32] {
        var indices = [Int32](repeating: -1, count: planes * outputPlaneSize)
        // Per-plane scratch for the row pass: each row's maxima over the window columns.
        var rowMaxima = [Float](repeating: 0, count: height * outputWidth)
        var rowIndices = [Int32](repeating: 0, count: height * outputWidth)
        indices.withUnsafeMutableBufferPointer { indexBuffer in
            rowMaxima.withUnsafeMutableBufferPointer { maximaBuffer in
                rowIndices.withUnsafeMutableBufferPointer { rowIndexBuffer in
                    guard let image = input.baseAddress, let result = output.baseAddress,
                        let index = indexBuffer.baseAddress, let maxima = maximaBuffer.baseAddress,
                        let rowIndex = rowIndexBuffer.baseAddress
                    else { return }
                    for plane in 0..<planes {
                        let outputs = plane &* outputPlaneSize
                        maxPlane(
                            image + plane &* planeSize, offset: (plane % channels) &* planeSize,
                            rowMaxima: maxima, rowIndices: rowIndex, into: result + outputs,
                            indices: index + outputs)
                    }
                }
            }
        }
        return indices
    }

    /// Max of each window of one plane, and `offset` + the in-plane index of the first maximum
    /// in scan order (ky, kx) (PyTorch: strictly greater wins, NaN propagates).
    ///
    /// Separable: first the maximum of every row's slice of each window (`rowMaxima`,
    /// `rowIndices`: H·outW each), then the maximum over the window's rows. The earliest row, then
    /// its earliest column, is the first maximum in scan order. Both passes run 8 output columns
    /// at a time with masked selects: a data-dependent branch here mispredicts about half the time.
    func maxPlane(
        _ image: UnsafePointer<Float>, offset: Int, rowMaxima: UnsafeMutablePointer<Float>,
        rowIndices: UnsafeMutablePointer<Int32>, into output: UnsafeMutablePointer<Float>,
        indices: UnsafeMutablePointer<Int32>
    ) {
        columnSources.withUnsafeBufferPointer { sourceBuffer in
            guard let sources = sourceBuffer.baseAddress else { return }
            for y in 0..<height {
                let line = image + y &* width
                let (best, bestIndex) = (rowMaxima + y &* outputWidth, rowIndices + y &* outputWidth)
                let lineOffset = Int32(truncatingIfNeeded: offset &+ y &* width)
                var ox = 0
                while ox &+ 8 <= outputWidth {
                    // Eight windows at once. Tap 0's clamped column is the window's first pixel,
                    // PyTorch's answer for an all −∞ window.
                    var maxima = SIMD8<Float>(repeating: -.infinity)
                    var maximaIndices =
                        UnsafeRawPointer(sources + ox).loadUnaligned(as: SIMD8<Int32>.self) &+ lineOffset
                    for tap in 0..<kernelSize {
                        let columns = UnsafeRawPointer(sources + (tap &* outputWidth &+ ox))
                            .loadUnaligned(as: SIMD8<Int32>.self)
                        let values = SIMD8<Float>(
                            line[Int(columns[0])], line[Int(columns[1])], line[Int(columns[2])],
                            line[Int(columns[3])], line[Int(columns[4])], line[Int(columns[5])],
                            line[Int(columns[6])], line[Int(columns[7])])
                        let better = (values .> maxima) .| (values .!= values)
                        maxima.replace(with: values, where: better)
                        maximaIndices.replace(with: columns &+ lineOffset, where: better)
                    }
                    UnsafeMutableRawPointer(best + ox).storeBytes(of: maxima, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(bestIndex + ox)
                        .storeBytes(of: maximaIndices, as: SIMD8<Int32>.self)
                    ox &+= 8
                }
                for ox in ox..<outputWidth {
                    best[ox] = -.infinity
                    bestIndex[ox] = sources[ox] &+ lineOffset
                    for tap in 0..<kernelSize {
                        let column = sources[tap &* outputWidth &+ ox]
                        PoolPlan.keepBetter(
                            line[Int(column)], column &+ lineOffset, best: best + ox, bestIndex: bestIndex + ox)
                    }
                }
            }
        }
        for oy in 0..<outputHeight {
            let (rowStart, rowEnd) = (rowWindows[2 &* oy], rowWindows[2 &* oy &+ 1])
            let (result, resultIndex) = (output + oy &* outputWidth, indices + oy &* outputWidth)
            guard rowStart < rowEnd else {
                result.update(repeating: -.infinity, count: outputWidth)
                resultIndex.update(repeating: -1, count: outputWidth)
                continue
            }
            result.update(from: rowMaxima + rowStart &* outputWidth, count: outputWidth)
            resultIndex.update(from: rowIndices + rowStart &* outputWidth, count: outputWidth)
            for y in (rowStart &+ 1)..<rowEnd {
                let (values, valueIndices) = (rowMaxima + y &* outputWidth, rowIndices + y &* outputWidth)
                var ox = 0
                while ox &+ 8 <= outputWidth {
                    PoolPlan.keepBetter(
                        UnsafeRawPointer(values + ox).loadUnaligned(as: SIMD8<Float>.self),
                        UnsafeRawPointer(valueIndices + ox).loadUnaligned(as: SIMD8<Int32>.self),
                        best: result + ox, bestIndex: resultIndex + ox)
                    ox &+= 8
                }
                for ox in ox..<outputWidth {
                    PoolPlan.keepBetter(
                        values[ox], valueIndices[ox], best: result + ox, bestIndex: resultIndex + ox)
                }
            }
        }
    }

    /// Lane-wise PyTorch max step: take (value, index) where `value > best || isnan(value)`.
    @inline(__always)
    private static func keepBetter(
        _ values: SIMD8<Float>, _ candidates: SIMD8<Int32>, best: UnsafeMutablePointer<Float>,
        bestIndex: UnsafeMutablePointer<Int32>
    ) {
        let current = UnsafeRawPointer(best).loadUnaligned(as: SIMD8<Float>.self)
        let currentIndex = UnsafeRawPointer(bestIndex).loadUnaligned(as: SIMD8<Int32>.self)
        let better = (values .> current) .| (values .!= values)
        UnsafeMutableRawPointer(best).storeBytes(
            of: current.replacing(with: values, where: better), as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(bestIndex).storeBytes(
            of: currentIndex.replacing(with: candidates, where: better), as: SIMD8<Int32>.self)
    }

    /// One-lane `keepBetter`, for the columns left over after the groups of 8.
    @inline(__always)
    private static func keepBetter(
        _ value: Float, _ candidate: Int32, best: UnsafeMutablePointer<Float>,
        bestIndex: UnsafeMutablePointer<Int32>
    ) {
        if value > best.pointee || value.isNaN {
            best.pointee = value
            bestIndex.pointee = candidate
        }
    }

    /// Average-pools `planes` consecutive planes, separably: per output row, first the column
    /// sums of the window's rows (contiguous, vectorisable), then each window's slice of them.
    func averagePool(
        _ input: UnsafeBufferPointer<Float>, planes: Int, into output: UnsafeMutableBufferPointer<Float>
    ) {
        var rowSums = [Float](repeating: 0, count: width)
        rowSums.withUnsafeMutableBufferPointer { sumBuffer in
            guard let input = input.baseAddress, let output = output.baseAddress,
                let rowSums = sumBuffer.baseAddress
            else { return }
            for plane in 0..<planes {
                let (image, result) = (input + plane &* planeSize, output + plane &* outputPlaneSize)
                for oy in 0..<outputHeight {
                    rowSums.update(repeating: 0, count: width)
                    for y in rowWindows[2 &* oy]..<rowWindows[2 &* oy &+ 1] {
                        let line = image + y &* width
                        for x in 0..<width { rowSums[x] += line[x] }
                    }
                    for ox in 0..<outputWidth {
                        var total: Float = 0
                        for x in columnWindows[2 &* ox]..<columnWindows[2 &* ox &+ 1] { total += rowSums[x] }
                        result[oy &* outputWidth &+ ox] = total * scale
                    }
                }
            }
        }
    }

    /// Adjoint of `averagePool`, added into `gradient`: per output row, spread the shares
    /// dy/(k·k) along x into one row, then add that row to every image row of the window.
    func averageBackward(
        _ upstream: UnsafeBufferPointer<Float>, planes: Int, into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        var rowShares = [Float](repeating: 0, count: width)
        rowShares.withUnsafeMutableBufferPointer { shareBuffer in
            guard let upstream = upstream.baseAddress, let gradient = gradient.baseAddress,
                let rowShares = shareBuffer.baseAddress
            else { return }
            for plane in 0..<planes {
                let (dy, result) = (upstream + plane &* outputPlaneSize, gradient + plane &* planeSize)
                for oy in 0..<outputHeight {
                    rowShares.update(repeating: 0, count: width)
                    for ox in 0..<outputWidth {
                        let share = dy[oy &* outputWidth &+ ox] * scale
                        for x in columnWindows[2 &* ox]..<columnWindows[2 &* ox &+ 1] { rowShares[x] += share }
                    }
                    for y in rowWindows[2 &* oy]..<rowWindows[2 &* oy &+ 1] {
                        let line = result + y &* width
                        for x in 0..<width { line[x] += rowShares[x] }
                    }
                }
            }
        }
    }
}
