import HebbTensor

/// The layer at the heart of a block.
public enum BlockLayer: Sendable, Equatable {
    /// Trained by a local rule (fully connected or convolutional).
    case hebbian(HebbianLayer)
    /// Fully connected, trained by backprop.
    case linear(Linear)
    /// Convolutional, trained by backprop.
    case convolution(Convolution)
}

/// One SoftHebb block: input batch norm → dropout → layer → activation → output batch norm → pool
/// (spec §1.6; the `flatten` operation is implicit, samples are always flat rows).
///
/// Inputs and outputs are rows (B, C·H·W), channel-major; channel-wise activations and norms read
/// a row as `layerChannels` channels × positions.
public struct Block: Sendable, Equatable {
    /// Affine-free batch norm at the block input, if any.
    public var inputNorm: BatchNorm?
    /// Dropout before the layer, if any.
    public var dropout: Dropout?
    /// The layer.
    public var layer: BlockLayer
    /// The activation after the layer.
    public var activation: Activation
    /// Affine-free batch norm after the activation (SoftHebb's `batch_norm: true`), if any.
    public var outputNorm: BatchNorm?
    /// Pooling after everything else, if any.
    public var pool: PoolGeometry?

    /// Assembles a block.
    public init(
        inputNorm: BatchNorm?, dropout: Dropout?, layer: BlockLayer, activation: Activation,
        outputNorm: BatchNorm?, pool: PoolGeometry? = nil
    ) {
        self.inputNorm = inputNorm
        self.dropout = dropout
        self.layer = layer
        self.activation = activation
        self.outputNorm = outputNorm
        self.pool = pool
    }

    /// Runs `body` on the Hebbian layer in place (no copy of its weights); nil for BP blocks.
    public mutating func withHebbianLayer<R>(_ body: (inout HebbianLayer) -> R) -> R? {
        guard case .hebbian(var hebbian) = layer else { return nil }
        layer = .linear(Block.placeholder)  // drop the enum's reference so `hebbian` is unique
        defer { layer = .hebbian(hebbian) }
        return body(&hebbian)
    }

    private static let placeholder = Linear(weight: .zeros([0, 0]), bias: .zeros([0]))

    /// The Hebbian layer, if the block has one.
    public var hebbianLayer: HebbianLayer? {
        if case .hebbian(let l) = layer { return l }
        return nil
    }

    /// Convolution shape of a BP convolution layer.
    public var convolutionGeometry: ConvolutionGeometry? {
        if case .convolution(let l) = layer { return l.geometry }
        return nil
    }

    /// Units or filters of the layer (the channels its activation sees).
    public var layerChannels: Int {
        switch layer {
        case .hebbian(let l): return l.outputChannels
        case .linear(let l): return l.weight.rows
        case .convolution(let l): return l.geometry.outputChannels
        }
    }

    /// Values per sample leaving the block (after pooling).
    public var outputSize: Int {
        if let pool { return pool.channels * pool.outputHeight * pool.outputWidth }
        switch layer {
        case .hebbian(let l): return l.outputChannels * l.positions
        case .linear(let l): return l.weight.rows
        case .convolution(let l): return l.geometry.outputChannels * l.geometry.positions
        }
    }

    /// Everything a forward pass produced that plasticity or backprop needs.
    public struct Trace: Sendable {
        /// Input to the layer after norm and dropout.
        public var layerInput: Tensor
        /// Pre-synaptic signal per competition (M, N): the unfolded patches of a convolution,
        /// `layerInput` for a fully connected layer.
        public var patches: Tensor
        /// Currents per competition (M, O); `currents` for a fully connected layer.
        public var positionCurrents: Tensor
        /// Layer output before the activation, (B, O·P).
        public var currents: Tensor
        /// Activation output.
        public var activated: Tensor
        /// Block output.
        public var output: Tensor
        var inputNormCache: BatchNorm.Cache?
        var dropoutMask: Tensor?
        var outputNormCache: BatchNorm.Cache?
        var poolTrace: PoolTrace?
    }

    /// Forward pass. `training` selects batch statistics (and updates running ones) and dropout.
    /// With `currentsOnly` the activation, output norm and pool are skipped (their fields hold
    /// the currents): plasticity needs only the layer input and the currents. With
    /// `positionRowsOnly` as well, a Hebbian convolution leaves its currents in position rows
    /// (B·P, O), as `positionCurrents`, saving the reordering to channel-major.
    public mutating func forward(
        _ x: Tensor, training: Bool, currentsOnly: Bool = false, positionRowsOnly: Bool = false,
        using rng: inout SeededGenerator
    ) -> Trace {
        var h = x
        var inputCache: BatchNorm.Cache?
        if var norm = inputNorm {
            (h, inputCache) = norm.forward(h, training: training)
            inputNorm = norm
        }
        var mask: Tensor?
        if training, let dropout, dropout.probability > 0 {
            let (dropped, m) = dropout.forward(h, using: &rng)
            h = dropped
            mask = m
        }
        let u: Tensor, patches: Tensor, positionCurrents: Tensor
        switch layer {
        case .hebbian(let l):
            let out = l.forward(h, channelMajor: !(currentsOnly && positionRowsOnly))
            (u, patches, positionCurrents) = (out.currents, out.patches, out.positionCurrents)
        case .linear(let l):
            u = l.forward(h)
            (patches, positionCurrents) = (h, u)
        case .convolution(let l):
            (u, patches) = l.forward(h)
            positionCurrents = u
        }
        var trace = Trace(
            layerInput: h, patches: patches, positionCurrents: positionCurrents, currents: u, activated: u,
            output: u, inputNormCache: inputCache, dropoutMask: mask, outputNormCache: nil, poolTrace: nil)
        if currentsOnly { return trace }
        trace.activated = activation.forward(u, channels: layerChannels)
        trace.output = trace.activated
        if var norm = outputNorm {
            (trace.output, trace.outputNormCache) = norm.forward(trace.activated, training: training)
            outputNorm = norm
        }
        if let pool {
            (trace.output, trace.poolTrace) = trace.output.pooled(pool)
        }
        return trace
    }

    /// Gradients of a BP layer.
    public struct LayerGradients: Sendable {
        /// dW (O, N).
        public var weight: Tensor
        /// db (O), when the layer has a bias.
        public var bias: Tensor?
    }

    /// Backward pass: the input gradient and, for a BP layer, its parameter gradients.
    public func backward(_ dy: Tensor, trace: Trace) -> (input: Tensor, parameters: LayerGradients?) {
        var g = dy
        if let pool, let poolTrace = trace.poolTrace { g = Tensor.poolBackward(g, geometry: pool, trace: poolTrace) }
        if let norm = outputNorm, let cache = trace.outputNormCache { g = norm.backward(g, cache: cache) }
        g = activation.backward(input: trace.currents, output: trace.activated, gradient: g, channels: layerChannels)
        var parameters: LayerGradients?
        switch layer {
        case .hebbian(let l): g = l.backward(g, currents: trace.currents, patches: trace.patches, positionCurrents: trace.positionCurrents)
        case .linear(let l):
            let grads = l.backward(g, input: trace.layerInput)
            g = grads.input
            parameters = LayerGradients(weight: grads.weight, bias: grads.bias)
        case .convolution(let l):
            let grads = l.backward(g, patches: trace.patches)
            g = grads.input
            parameters = LayerGradients(weight: grads.weight, bias: grads.bias)
        }
        if let mask = trace.dropoutMask { g = g * mask }
        if let norm = inputNorm, let cache = trace.inputNormCache { g = norm.backward(g, cache: cache) }
        return (g, parameters)
    }
}
