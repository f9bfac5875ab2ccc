// Unfold (im2col) and its adjoint fold (col2im) for 2-D convolutions, plus the two layout
// changes that go with them. Shapes: B samples, C input channels, H×W image, k kernel side,
// P = outH·outW output positions. A sample is one row (C·H·W) in channel-major order.
//
// With patches (B·P, C·k·k) and filters W (C_out, C·k·k), a convolution is
// `(patches · Wᵀ).channelsFirst(channels: C_out, positions: P)`; with groups, group g multiplies
// patch columns [g·patchWidth, (g+1)·patchWidth) by its own C_out/g filters.

extension Tensor {
    /// im2col: every receptive field of `self` (B, C·H·W) as one row of the result (B·P, C·k·k).
    ///
    /// Row `b·P + oy·outW + ox`, column `c·k·k + ky·k + kx` holds the (padded) input pixel
    /// `(c, oy·s + ky·d − p, ox·s + kx·d − p)` of sample b, so a PyTorch weight
    /// [C_out, C/g, k, k] flattened to rows multiplies it directly. Group g's columns are the
    /// contiguous range [g·patchWidth, (g+1)·patchWidth). Reflect padding is PyTorch's
    /// `'reflect'` (index −1 reads 1, index H reads H − 2); zeros padding reads 0.
    public func unfolded(_ geometry: ConvolutionGeometry) -> Tensor {
        precondition(
            rank >= 2 && columns == geometry.inputSize,
            "unfolded: input \(shape) should be [B, \(geometry.inputSize)]")
        let batch = rows
        let patchRows = batch * geometry.positions
        let patchColumns = geometry.inputChannels * geometry.kernelSize * geometry.kernelSize
        let total = patchRows * patchColumns
        // Every element is written by `unfold`, so the buffer need not be zeroed first.
        let patches = [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
            scalars.withUnsafeBufferPointer { x in
                Tensor.unfold(x, batch: batch, geometry: geometry, into: buffer)
            }
            initialized = total
        }
        return Tensor(shape: [patchRows, patchColumns], scalars: patches)
    }

    /// im2col into a caller-owned buffer, as `unfolded`; allocates only two small index tables.
    ///
    /// - Parameters:
    ///   - x: at least `batch·C·H·W` input floats, one sample after another.
    ///   - batch: number of samples B.
    ///   - geometry: a geometry whose `problem` is nil.
    ///   - patches: at least `B·P·C·k·k` floats; the first `B·P·C·k·k` are overwritten.
    public static func unfold(
        _ x: UnsafeBufferPointer<Float>, batch: Int, geometry: ConvolutionGeometry,
        into patches: UnsafeMutableBufferPointer<Float>
    ) {
        let g = geometry
        if let problem = g.problem { preconditionFailure("unfold: \(problem)") }
        let (height, width, kernel) = (g.inputHeight, g.inputWidth, g.kernelSize)
        let (outputHeight, outputWidth, channels) = (g.outputHeight, g.outputWidth, g.inputChannels)
        let patchColumns = channels * kernel * kernel
        precondition(batch >= 0, "unfold: negative batch \(batch)")
        precondition(
            x.count >= batch * g.inputSize,
            "unfold: input holds \(x.count) floats, batch \(batch) needs \(batch * g.inputSize)")
        precondition(
            patches.count >= batch * g.positions * patchColumns,
            "unfold: patch buffer holds \(patches.count) floats, needs \(batch * g.positions * patchColumns)")
        guard batch > 0, let input = x.baseAddress, let output = patches.baseAddress else { return }
        let rowTable = g.sourceTable(inputExtent: height, outputExtent: outputHeight)
        let columnTable = g.sourceTable(inputExtent: width, outputExtent: outputWidth)
        let planeSize = height * width
        rowTable.withUnsafeBufferPointer { rowSources in
            columnTable.withUnsafeBufferPointer { columnSources in
                var destination = output
                for sample in 0..<batch {
                    let image = input + sample &* g.inputSize
                    for oy in 0..<outputHeight {
                        let rowTaps = oy &* kernel
                        for ox in 0..<outputWidth {
                            let columnTaps = ox &* kernel
                            for channel in 0..<channels {
                                let plane = image + channel &* planeSize
                                for ky in 0..<kernel {
                                    let sourceRow = Int(rowSources[rowTaps &+ ky])
                                    if sourceRow < 0 {
                                        destination.update(repeating: 0, count: kernel)
                                    } else {
                                        let line = plane + sourceRow &* width
                                        for kx in 0..<kernel {
                                            let sourceColumn = Int(columnSources[columnTaps &+ kx])
                                            destination[kx] = sourceColumn < 0 ? 0 : line[sourceColumn]
                                        }
                                    }
                                    destination += kernel
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// col2im, the exact adjoint of `unfolded`: patches (B·P, C·k·k) → (B, C·H·W).
    ///
    /// Every patch entry is added to the input pixel it was read from, so overlapping fields
    /// sum; with reflect padding a padded pixel's gradient lands on the pixel it mirrors, and
    /// with zeros padding it is dropped. `⟨unfolded(x), patches⟩ = ⟨x, folded(patches)⟩`.
    public static func folded(_ patches: Tensor, geometry: ConvolutionGeometry, batch: Int) -> Tensor {
        let g = geometry
        if let problem = g.problem { preconditionFailure("folded: \(problem)") }
        let (height, width, kernel) = (g.inputHeight, g.inputWidth, g.kernelSize)
        let (outputHeight, outputWidth, channels) = (g.outputHeight, g.outputWidth, g.inputChannels)
        let patchColumns = channels * kernel * kernel
        precondition(
            patches.count == batch * g.positions * patchColumns
                && (batch == 0 || patches.columns == patchColumns),
            "folded: patches \(patches.shape) should be [\(batch * g.positions), \(patchColumns)]")
        var images = [Float](repeating: 0, count: batch * g.inputSize)
        guard batch > 0 else { return Tensor(shape: [0, g.inputSize], scalars: []) }
        let rowTable = g.sourceTable(inputExtent: height, outputExtent: outputHeight)
        let columnTable = g.sourceTable(inputExtent: width, outputExtent: outputWidth)
        let planeSize = height * width
        patches.scalars.withUnsafeBufferPointer { patchBuffer in
            images.withUnsafeMutableBufferPointer { imageBuffer in
                rowTable.withUnsafeBufferPointer { rowSources in
                    columnTable.withUnsafeBufferPointer { columnSources in
                        guard var source = patchBuffer.baseAddress,
                            let output = imageBuffer.baseAddress
                        else { return }
                        for sample in 0..<batch {
                            let image = output + sample &* g.inputSize
                            for oy in 0..<outputHeight {
                                let rowTaps = oy &* kernel
                                for ox in 0..<outputWidth {
                                    let columnTaps = ox &* kernel
                                    for channel in 0..<channels {
                                        let plane = image + channel &* planeSize
                                        for ky in 0..<kernel {
                                            let sourceRow = Int(rowSources[rowTaps &+ ky])
                                            if sourceRow >= 0 {
                                                let line = plane + sourceRow &* width
                                                for kx in 0..<kernel {
                                                    let column = Int(columnSources[columnTaps &+ kx])
                                                    if column >= 0 { line[column] += source[kx] }
                                                }
                                            }
                                            source += kernel
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, g.inputSize], scalars: images)
    }

    /// Channel-major rows (B, C·P) → position rows (B·P, C): `out[b·P + p, c] = self[b, c·P + p]`.
    public func channelsLast(channels: Int) -> Tensor {
        precondition(channels > 0, "channelsLast: channels must be positive, got \(channels)")
        let batch = rows
        precondition(
            rank >= 2 && columns % channels == 0,
            "channelsLast: \(shape) has \(columns) columns, not a multiple of \(channels) channels")
        let positions = columns / channels
        return Tensor(
            shape: [batch * positions, channels],
            scalars: Tensor.transposeEachSample(
                scalars, samples: batch, rows: channels, columns: positions))
    }

    /// Position rows (B·P, C) → channel-major rows (B, C·P); the inverse of `channelsLast`.
    public func channelsFirst(channels: Int, positions: Int) -> Tensor {
        precondition(channels > 0 && positions > 0, "channelsFirst: channels \(channels), positions \(positions)")
        let total = rows
        precondition(
            rank == 2 && columns == channels && total % positions == 0,
            "channelsFirst: \(shape) should be [B·\(positions), \(channels)]")
        let batch = total / positions
        return Tensor(
            shape: [batch, channels * positions],
            scalars: Tensor.transposeEachSample(
                scalars, samples: batch, rows: positions, columns: channels))
    }

    /// Transposes each of `samples` consecutive (rows, columns) matrices, in 32×32 tiles.
    private static func transposeEachSample(
        _ source: [Float], samples: Int, rows: Int, columns: Int
    ) -> [Float] {
        let matrixSize = rows * columns
        let tile = 32
        let total = samples * matrixSize
        return [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
            source.withUnsafeBufferPointer { input in
                guard let input = input.baseAddress, let output = buffer.baseAddress else { return }
                for sample in 0..<samples {
                    let from = input + sample &* matrixSize
                    let to = output + sample &* matrixSize
                    for rowStart in stride(from: 0, to: rows, by: tile) {
                        let rowEnd = Swift.min(rowStart + tile, rows)
                        for columnStart in stride(from: 0, to: columns, by: tile) {
                            let columnEnd = Swift.min(columnStart + tile, columns)
                            for row in rowStart..<rowEnd {
                                for column in columnStart..<columnEnd {
                                    to[column &* rows &+ row] = from[row &* columns &+ column]
                                }
                            }
                        }
                    }
                }
            }
            initialized = total
        }
    }
}
