import HebbModel
import HebbTensor

// Shapes: B chunk rows, C channels, P output positions of a layer (1 when fully connected),
// N fan-in (patch width), O units (filters).

extension DeviceForward {
    /// Why `prefix` cannot run forward on the device (its first block that cannot, and what that
    /// block has), or nil when every block can: any activation, pool and evaluation-mode norms and
    /// dropout, with a Hebbian layer of dot-product currents or a BP linear or convolutional layer,
    /// every convolution ungrouped.
    static func problem(of prefix: Model) -> String? {
        for (index, block) in prefix.blocks.enumerated() {
            if let reason = problem(of: block) { return "block \(index) \(reason)" }
        }
        return nil
    }

    private static func problem(of block: Block) -> String? {
        let geometry: ConvolutionGeometry?
        switch block.layer {
        case .hebbian(let layer):
            if layer.similarity != .dot { return "has \(layer.similarity.rawValue) currents; the device computes dot products" }
            geometry = layer.geometry
        case .convolution(let layer): geometry = layer.geometry
        case .linear: geometry = nil
        }
        if let geometry {
            if geometry.groups != 1 { return "has a convolution of \(geometry.groups) groups; the device runs one" }
            if let problem = geometry.problem { return "has an unusable convolution: \(problem)" }
        }
        if let problem = block.pool?.problem { return "has an unusable pool: \(problem)" }
        return nil
    }

    /// One frozen block's parameters on the device and its forward in evaluation mode.
    struct Stage {
        /// Features per sample entering the block, leaving its layer (O·P) and leaving the block.
        let (inputWidth, layerWidth, outputWidth): (Int, Int, Int)
        /// Units O, their output positions P and fan-in N.
        let (units, positions, fanIn): (Int, Int, Int)
        /// The convolution's shape; nil for a fully connected layer.
        let geometry: ConvolutionGeometry?
        /// The weights the layer multiplies by (O, N): ŵ for a Hebbian layer, W for a BP one.
        let weights: DeviceBuffer
        /// A BP layer's bias (O), if any.
        let bias: DeviceBuffer?
        /// SoftHebb's `e1`: a Hebbian convolution's currents become relu(u − mean over units).
        let preTriangle: Bool
        /// hebb's `center1`: a Hebbian convolution's patches lose their means before the sgemm.
        let centresPatches: Bool
        let activation: ActivationFunction
        let inputNorm, outputNorm: Normaliser?
        let pool: PoolGeometry?

        /// Uploads `block`'s parameters for inputs of `inputWidth` values per sample.
        init(backend: any Backend, block: Block, inputWidth: Int) throws {
            switch block.layer {
            case .hebbian(let layer):
                let stored = try backend.buffer(layer.weight.scalars)
                if layer.lebesguePower == 2 {
                    weights = stored
                } else {
                    weights = try backend.allocate(bytes: stored.bytes)
                    try backend.signedPower(stored, count: layer.weight.count, power: layer.lebesguePower - 1, into: weights)
                }
                (geometry, bias, preTriangle) = (layer.geometry, nil, layer.preTriangle && layer.geometry != nil)
                centresPatches = layer.centersPatches && layer.geometry != nil
            case .linear(let layer):
                (weights, bias) = (try backend.buffer(layer.weight.scalars), try backend.buffer(layer.bias.scalars))
                (geometry, preTriangle, centresPatches) = (nil, false, false)
            case .convolution(let layer):
                (weights, bias) = (try backend.buffer(layer.weight.scalars), try layer.bias.map { try backend.buffer($0.scalars) })
                (geometry, preTriangle, centresPatches) = (layer.geometry, false, false)
            }
            units = block.layerChannels
            positions = geometry?.positions ?? 1
            fanIn = weights.floatCount / max(units, 1)
            precondition(inputWidth == (geometry?.inputSize ?? fanIn), "block input of \(inputWidth) features for a layer of fan-in \(fanIn)")
            let layerWidth = units * positions
            (self.inputWidth, self.layerWidth, outputWidth) = (inputWidth, layerWidth, block.outputSize)
            activation = block.activation
            inputNorm = try block.inputNorm.map { try Normaliser(backend: backend, norm: $0, width: inputWidth) }
            outputNorm = try block.outputNorm.map { try Normaliser(backend: backend, norm: $0, width: layerWidth) }
            pool = block.pool
        }

        /// The layer's outputs (B, O·P) for inputs x (B, F) into `out`, as `Block.forward`'s layer
        /// step (`HebbianLayer.forward`, `Linear.forward`, `Convolution.forward`).
        func layerForward(_ x: DeviceBuffer, rows: Int, work: WorkBuffers, into out: DeviceBuffer, backend: any Backend) throws {
            guard let geometry else {
                try backend.gemm(
                    .none, .transposed, m: rows, n: units, k: fanIn, alpha: 1, a: x, lda: fanIn, b: weights, ldb: fanIn, beta: 0,
                    c: out, ldc: units)
                if let bias { try backend.addBias(out, bias: bias, rows: rows, columns: units) }
                return
            }
            let competitions = rows * positions
            try backend.unfold(x, batch: rows, geometry: geometry, into: work.patches)
            if centresPatches { try backend.centreRows(work.patches, rows: competitions, columns: fanIn) }
            try backend.gemm(
                .none, .transposed, m: competitions, n: units, k: fanIn, alpha: 1, a: work.patches, lda: fanIn, b: weights,
                ldb: fanIn, beta: 0, c: work.positionRows, ldc: units)
            if let bias { try backend.addBias(work.positionRows, bias: bias, rows: competitions, columns: units) }
            if preTriangle {
                try backend.activate(
                    work.positionRows, batch: competitions, channels: units, positions: 1, function: .triangle(power: 1),
                    into: work.positionRows)
            }
            try backend.channelsFirst(work.positionRows, batch: rows, positions: positions, channels: units, into: out)
        }
    }

    /// A batch norm in evaluation mode: the running statistics, as the Doubles `batchNormalise`
    /// reads (the Floats convert exactly, so the arithmetic is `BatchNorm.forward(_:training: false)`'s).
    struct Normaliser {
        let statistics: DeviceBuffer
        let (channels, positions): (Int, Int)
        let epsilon: Float

        /// Uploads `norm`'s running means and variances for samples of `width` = C·P values.
        init(backend: any Backend, norm: BatchNorm, width: Int) throws {
            precondition(norm.channels > 0 && width % norm.channels == 0, "batch norm of \(norm.channels) channels over \(width) features")
            statistics = try backend.buffer((norm.runningMean + norm.runningVariance).map(Double.init))
            (channels, positions, epsilon) = (norm.channels, width / norm.channels, norm.epsilon)
        }

        /// Normalises x (B, C·P) in place.
        func normalise(_ x: DeviceBuffer, batch: Int, backend: any Backend) throws {
            try backend.batchNormalise(x, batch: batch, channels: channels, positions: positions, statistics: statistics, epsilon: epsilon, into: x)
        }
    }
}
