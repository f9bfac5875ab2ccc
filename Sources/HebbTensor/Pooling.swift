// 2-D max and average pooling over rows (B, C·H·W), as SoftHebb's blocks use them
// (spec softhebb.md §1.6): MaxPool2d(k, s, p) pads with −∞, AvgPool2d(k, s, p) keeps PyTorch's
// count_include_pad = true, neither uses ceil mode.

/// What a pooling forward pass remembers for backward.
public struct PoolTrace: Sendable {
    /// Max pooling: for each output (B·C·outH·outW, row-major), the flat index within its sample,
    /// `c·H·W + y·W + x`, of the window's maximum (first in scan order on ties); −1 for a window
    /// with no image pixel. Empty for average pooling.
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
        let isMax = geometry.kind == .max
        var output = [Float](repeating: 0, count: planes * plan.outputPlaneSize)
        var indices = [Int32](repeating: -1, count: isMax ? output.count : 0)
        // Per-plane scratch: row maxima and their indices (max), or one row of sums (average).
        let rowResults = isMax ? plan.height * plan.outputWidth : plan.width
        var rowValues = [Float](repeating: 0, count: rowResults)
        var rowIndices = [Int32](repeating: 0, count: isMax ? rowResults : 0)
        scalars.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                indices.withUnsafeMutableBufferPointer { indexBuffer in
                    rowValues.withUnsafeMutableBufferPointer { rowValueBuffer in
                        rowIndices.withUnsafeMutableBufferPointer { rowIndexBuffer in
                            guard let input = inputBuffer.baseAddress, let result = outputBuffer.baseAddress,
                                let rowValues = rowValueBuffer.baseAddress
                            else { return }
                            for plane in 0..<planes {
                                let image = input + plane &* plan.planeSize
                                let outputs = plane &* plan.outputPlaneSize
                                if isMax, let index = indexBuffer.baseAddress, let rowIndices = rowIndexBuffer.baseAddress {
                                    // Trace indices count from the start of the sample, not the plane.
                                    let channelOffset = (plane % plan.channels) &* plan.planeSize
                                    plan.maxPlane(
                                        image, offset: channelOffset, rowMaxima: rowValues, rowIndices: rowIndices,
                                        into: result + outputs, indices: index + outputs)
                                } else {
                                    plan.averagePlane(image, into: result + outputs, rowSums: rowValues)
                                }
                            }
                        }
                    }
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
            dy.scalars.withUnsafeBufferPointer { upstream in
                trace.maxIndices.withUnsafeBufferPointer { indices in
                    gradient.withUnsafeMutableBufferPointer { result in
                        for sample in 0..<batch {
                            let (base, target) = (sample &* outputsPerSample, sample &* sampleSize)
                            for o in 0..<outputsPerSample {
                                let index = Int(indices[base &+ o])
                                guard index >= 0 else { continue }
                                precondition(index < sampleSize, "poolBackward: trace index \(index) out of range")
                                result[target &+ index] += upstream[base &+ o]
                            }
                        }
                    }
                }
            }
        } else {
            var rowShares = [Float](repeating: 0, count: plan.width)
            dy.scalars.withUnsafeBufferPointer { upstreamBuffer in
                gradient.withUnsafeMutableBufferPointer { resultBuffer in
                    rowShares.withUnsafeMutableBufferPointer { shareBuffer in
                        guard let upstream = upstreamBuffer.baseAddress, let result = resultBuffer.baseAddress,
                            let rowShares = shareBuffer.baseAddress
                        else { return }
                        for plane in 0..<(batch * plan.channels) {
                            plan.averageBackwardPlane(
                                upstream + plane &* plan.outputPlaneSize, into: result + plane &* plan.planeSize,
                                rowShares: rowShares)
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, sampleSize], scalars: gradient)
    }
}

/// Sizes and per-axis window tables of one pooling call, computed once, with the per-plane loops.
private struct PoolPlan {
    let channels, height, width, outputHeight, outputWidth, planeSize, outputPlaneSize: Int
    let kernelSize, stride, padding: Int
    /// Window bounds per output row / column (see `PoolGeometry.windowTable`).
    let rowWindows, columnWindows: [Int]
    /// For each tap t, the output columns [start, end) (entries 2t, 2t + 1) whose tap t is inside
    /// the image: 0 ≤ ox·s + t − p < W.
    let columnTaps: [Int]
    /// 1/(k·k): count_include_pad divides by the full window.
    let scale: Float

    init(_ g: PoolGeometry) {
        (channels, height, width) = (g.channels, g.inputHeight, g.inputWidth)
        (kernelSize, stride, padding) = (g.kernelSize, g.stride, g.padding)
        (outputHeight, outputWidth) = (g.outputHeight, g.outputWidth)
        (planeSize, outputPlaneSize) = (g.inputHeight * g.inputWidth, g.outputHeight * g.outputWidth)
        rowWindows = g.windowTable(inputExtent: g.inputHeight, outputExtent: g.outputHeight)
        columnWindows = g.windowTable(inputExtent: g.inputWidth, outputExtent: g.outputWidth)
        scale = 1 / Float(g.kernelSize * g.kernelSize)
        var taps = [Int](repeating: 0, count: 2 * g.kernelSize)
        for t in 0..<g.kernelSize {
            let inside = (0..<g.outputWidth).filter { (0..<g.inputWidth).contains($0 * g.stride + t - g.padding) }
            // Inside columns are contiguous: ox·s + t − p grows with ox.
            taps[2 * t] = inside.first ?? 0
            taps[2 * t + 1] = inside.last.map { $0 + 1 } ?? 0
        }
        columnTaps = taps
    }

    /// Max of each window of one plane, and `offset` + the in-plane index of the first maximum
    /// in scan order (ky, kx) (PyTorch: strictly greater wins, NaN propagates).
    ///
    /// Separable, so both passes run across output columns and vectorise: first the maximum of
    /// every row's slice of each window column (`rowMaxima`, `rowIndices`: H·outW each), then the
    /// maximum over the window's rows. Taking the earliest row, then its earliest column, is the
    /// first maximum in scan order.
    func maxPlane(
        _ image: UnsafePointer<Float>, offset: Int, rowMaxima: UnsafeMutablePointer<Float>,
        rowIndices: UnsafeMutablePointer<Int32>, into output: UnsafeMutablePointer<Float>,
        indices: UnsafeMutablePointer<Int32>
    ) {
        for y in 0..<height {
            let line = image + y &* width
            let (best, bestIndex) = (rowMaxima + y &* outputWidth, rowIndices + y &* outputWidth)
            let lineOffset = offset &+ y &* width
            for ox in 0..<outputWidth {
                // Start from the window's first pixel so an all −∞ window still names a pixel
                // (−1 only for a window of padding alone, which valid geometry rules out).
                let (first, end) = (columnWindows[2 &* ox], columnWindows[2 &* ox &+ 1])
                best[ox] = first < end ? line[first] : -.infinity
                bestIndex[ox] = first < end ? Int32(truncatingIfNeeded: lineOffset &+ first) : -1
            }
            for tap in 0..<kernelSize {
                let shift = tap &- padding
                for ox in columnTaps[2 &* tap]..<columnTaps[2 &* tap &+ 1] {
                    let x = ox &* stride &+ shift
                    let (value, current) = (line[x], best[ox])
                    let better = isBetter(value, than: current)
                    best[ox] = better ? value : current
                    bestIndex[ox] = better ? Int32(truncatingIfNeeded: lineOffset &+ x) : bestIndex[ox]
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
                for ox in 0..<outputWidth {
                    let (value, current) = (values[ox], result[ox])
                    let better = isBetter(value, than: current)
                    result[ox] = better ? value : current
                    resultIndex[ox] = better ? valueIndices[ox] : resultIndex[ox]
                }
            }
        }
    }

    /// PyTorch's max-pool test `value > current || isnan(value)`. The two never hold together,
    /// so `!=` replaces `||`: no short circuit, hence selects instead of branches.
    @inline(__always)
    private func isBetter(_ value: Float, than current: Float) -> Bool {
        (value > current) != value.isNaN
    }

    /// Window sums × 1/(k·k) of one plane, separably: first the column sums of a window's rows
    /// (contiguous, vectorisable), then each window's slice of them. `rowSums` holds W floats.
    func averagePlane(
        _ image: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
        rowSums: UnsafeMutablePointer<Float>
    ) {
        for oy in 0..<outputHeight {
            rowSums.update(repeating: 0, count: width)
            for y in rowWindows[2 &* oy]..<rowWindows[2 &* oy &+ 1] {
                let line = image + y &* width
                for x in 0..<width { rowSums[x] += line[x] }
            }
            for ox in 0..<outputWidth {
                var total: Float = 0
                for x in columnWindows[2 &* ox]..<columnWindows[2 &* ox &+ 1] { total += rowSums[x] }
                output[oy &* outputWidth &+ ox] = total * scale
            }
        }
    }

    /// Adjoint of `averagePlane`: spread each output row's shares along x into `rowShares`
    /// (W floats), then add that row to every image row of the window.
    func averageBackwardPlane(
        _ upstream: UnsafePointer<Float>, into gradient: UnsafeMutablePointer<Float>,
        rowShares: UnsafeMutablePointer<Float>
    ) {
        for oy in 0..<outputHeight {
            rowShares.update(repeating: 0, count: width)
            for ox in 0..<outputWidth {
                let share = upstream[oy &* outputWidth &+ ox] * scale
                for x in columnWindows[2 &* ox]..<columnWindows[2 &* ox &+ 1] { rowShares[x] += share }
            }
            for y in rowWindows[2 &* oy]..<rowWindows[2 &* oy &+ 1] {
                let line = gradient + y &* width
                for x in 0..<width { line[x] += rowShares[x] }
            }
        }
    }
}
