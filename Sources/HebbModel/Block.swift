import HebbTensor

/// The layer at the heart of a block.
public enum BlockLayer: Sendable, Equatable {
    /// Trained by a local rule.
    case hebbian(HebbianLinear)
    /// Trained by backprop.
    case linear(Linear)
}

/// One SoftHebb block: input batch norm → dropout → layer → activation → output batch norm.
///
/// Inputs and outputs are flattened rows (B, C·P); `outputChannels` tells channel-wise
/// activations and norms how to read the row.
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

    /// Assembles a block.
    public init(
        inputNorm: BatchNorm?, dropout: Dropout?, layer: BlockLayer, activation: Activation,
        outputNorm: BatchNorm?
    ) {
        self.inputNorm = inputNorm
        self.dropout = dropout
        self.layer = layer
        self.activation = activation
        self.outputNorm = outputNorm
    }

    /// Runs `body` on the Hebbian layer in place (no copy of its weights); nil for BP blocks.
    public mutating func withHebbianLayer<R>(_ body: (inout HebbianLinear) -> R) -> R? {
        guard case .hebbian(var hebbian) = layer else { return nil }
        layer = .linear(Block.placeholder)  // drop the enum's reference so `hebbian` is unique
        defer { layer = .hebbian(hebbian) }
        return body(&hebbian)
    }

    private static let placeholder = Linear(weight: .zeros([0, 0]), bias: .zeros([0]))

    /// Output features per sample.
    public var outputFeatures: Int {
        switch layer {
        case .hebbian(let l): return l.outputFeatures
        case .linear(let l): return l.weight.rows
        }
    }

    /// Everything a forward pass produced that plasticity or backprop needs.
    public struct Trace: Sendable {
        /// Input to the layer after norm and dropout (the pre-synaptic signal x).
        public var layerInput: Tensor
        /// Layer output before the activation (the currents u).
        public var currents: Tensor
        /// Activation output.
        public var activated: Tensor
        /// Block output.
        public var output: Tensor
        var inputNormCache: BatchNorm.Cache?
        var dropoutMask: Tensor?
        var outputNormCache: BatchNorm.Cache?
    }

    /// Forward pass. `training` selects batch statistics (and updates running ones) and dropout.
    /// With `currentsOnly` the activation and output norm are skipped (their fields hold the
    /// currents): plasticity needs only the layer input and the currents.
    public mutating func forward(
        _ x: Tensor, training: Bool, currentsOnly: Bool = false, using rng: inout SeededGenerator
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
        let u: Tensor
        switch layer {
        case .hebbian(let l): u = l.forward(h)
        case .linear(let l): u = l.forward(h)
        }
        if currentsOnly {
            return Trace(layerInput: h, currents: u, activated: u, output: u, inputNormCache: inputCache, dropoutMask: mask, outputNormCache: nil)
        }
        let channels = outputFeatures
        let a = activation.forward(u, channels: channels)
        var out = a
        var outputCache: BatchNorm.Cache?
        if var norm = outputNorm {
            (out, outputCache) = norm.forward(a, training: training)
            outputNorm = norm
        }
        return Trace(
            layerInput: h, currents: u, activated: a, output: out, inputNormCache: inputCache,
            dropoutMask: mask, outputNormCache: outputCache)
    }

    /// Gradients of a BP linear layer.
    public struct LinearGradients: Sendable {
        /// dW (O, N).
        public var weight: Tensor
        /// db (O).
        public var bias: Tensor
    }

    /// Backward pass: the input gradient and, for a BP layer, its parameter gradients.
    public func backward(_ dy: Tensor, trace: Trace) -> (input: Tensor, parameters: LinearGradients?) {
        var g = dy
        if let norm = outputNorm, let cache = trace.outputNormCache { g = norm.backward(g, cache: cache) }
        g = activation.backward(input: trace.currents, output: trace.activated, gradient: g, channels: outputFeatures)
        var parameters: LinearGradients?
        switch layer {
        case .hebbian(let l): g = l.backward(g)
        case .linear(let l):
            let grads = l.backward(g, input: trace.layerInput)
            g = grads.input
            parameters = LinearGradients(weight: grads.weight, bias: grads.bias)
        }
        if let mask = trace.dropoutMask { g = g * mask }
        if let norm = inputNorm, let cache = trace.inputNormCache { g = norm.backward(g, cache: cache) }
        return (g, parameters)
    }
}
