import HebbTensor

// Shapes: B samples, P output positions (1 for a fully connected layer), M = B·P competitions,
// N fan-in of one unit (C_in/groups·k·k for a convolution), O units (filters).

/// A Hebbian layer, fully connected or convolutional: stored weights W (O, N), currents computed
/// with the effective weight `ŵ = sign(W)·|W|^(p−1)` (SoftHebb spec §3.1; Krotov & Hopfield's
/// ⟨W, x⟩_μ).
///
/// A convolution unfolds its input into patches, so the learning rule sees (M, N) inputs and
/// (M, O) currents either way: one rule implementation for linear and conv layers. Its weights
/// are not trained by gradients; a rule updates them between batches.
public struct HebbianLayer: Sendable, Equatable {
    /// Stored weights W: (O, N), a convolution's [O, C_in/groups, k, k] flattened per filter.
    public private(set) var weight: Tensor
    /// Lebesgue power p of the weight norm.
    public let lebesguePower: Float
    /// Convolution shape; nil for a fully connected layer.
    public let geometry: ConvolutionGeometry?
    /// SoftHebb's `e1`: currents become `relu(u − mean_c u)` before plasticity and output.
    public let preTriangle: Bool
    /// What the layer outputs per patch and unit (dot product unless Lagani's similarities).
    public let similarity: Similarity
    /// hebb's `center1` (convolutions with one group): every patch has its mean subtracted before
    /// the currents, so the rule and the output see local contrast, and uniform patches (an
    /// image's background) give zero input and no update.
    public let centersPatches: Bool
    /// ŵ for p ≠ 2 (empty for p = 2, where ŵ = W and no second copy is kept).
    private var storedEffectiveWeight: Tensor

    /// Wraps weights (O, N) with power p; a convolution passes its geometry (N = patch width).
    /// A similarity other than `.dot` needs p = 2, one group and no pre-triangle; centred patches
    /// need a convolution with one group.
    public init(
        weight: Tensor, lebesguePower: Float, geometry: ConvolutionGeometry? = nil, preTriangle: Bool = false,
        similarity: Similarity = .dot, centersPatches: Bool = false
    ) {
        precondition(weight.rank == 2, "Hebbian weight must be (out, in), got \(weight.shape)")
        precondition(
            similarity == .dot || (lebesguePower == 2 && (geometry?.groups ?? 1) == 1 && !preTriangle),
            "similarity \(similarity) needs p = 2, one group and no pre-triangle")
        precondition(!centersPatches || geometry?.groups == 1, "centred patches need a convolution with one group")
        if let geometry {
            precondition(
                weight.shape == [geometry.outputChannels, geometry.patchWidth],
                "conv weight \(weight.shape) vs geometry [\(geometry.outputChannels), \(geometry.patchWidth)]")
        }
        self.weight = weight
        self.lebesguePower = lebesguePower
        self.geometry = geometry
        self.preTriangle = preTriangle
        self.similarity = similarity
        self.centersPatches = centersPatches
        storedEffectiveWeight = lebesguePower == 2 ? .zeros([0]) : weight.signedPower(lebesguePower - 1)
    }

    /// ŵ = sign(W)·|W|^(p−1).
    public var effectiveWeight: Tensor { lebesguePower == 2 ? weight : storedEffectiveWeight }

    /// Number of units (filters) O.
    public var outputChannels: Int { weight.rows }
    /// Fan-in N of one unit.
    public var inputFeatures: Int { weight.columns }
    /// Output positions per sample P (1 for a fully connected layer).
    public var positions: Int { geometry?.positions ?? 1 }
    /// Convolution groups (1 for a fully connected layer).
    public var groups: Int { geometry?.groups ?? 1 }

    /// What one forward pass produced.
    public struct Output: Sendable {
        /// Currents per sample, channel-major: (B, O·P).
        public var currents: Tensor
        /// Pre-synaptic inputs per competition: (M, G·N); the input itself when fully connected.
        public var patches: Tensor
        /// Currents per competition: (M, O); `currents` itself when fully connected.
        public var positionCurrents: Tensor
    }

    /// Currents for inputs x (B, N) or, for a convolution, (B, C·H·W).
    /// With `channelMajor` false a convolution skips the (B·P, O) → (B, O·P) reordering and
    /// `currents` holds the position rows too (training needs only those).
    public func forward(_ x: Tensor, channelMajor: Bool = true) -> Output {
        guard let geometry else {
            var u = Tensor.matmul(x, effectiveWeight, transposeB: true)
            similarity.apply(to: &u, patches: x, weight: weight)
            return Output(currents: u, patches: x, positionCurrents: u)
        }
        var patches = x.unfolded(geometry)
        if centersPatches { HebbianLayer.centreRows(&patches) }
        var u = GroupedProduct.currents(patches: patches, weight: effectiveWeight, groups: geometry.groups)
        similarity.apply(to: &u, patches: patches, weight: weight)
        if preTriangle { HebbianLayer.applyPreTriangle(&u) }
        let currents = channelMajor ? u.channelsFirst(channels: geometry.outputChannels, positions: geometry.positions) : u
        return Output(currents: currents, patches: patches, positionCurrents: u)
    }

    /// Input gradient for output gradient dy (B, O·P): the layer acts as a fixed map under
    /// backprop (SoftHebb's hybrid mode); `currents` are the forward's (for `e1`); a similarity
    /// other than `.dot` also needs the forward's `patches` and `positionCurrents`.
    public func backward(_ dy: Tensor, currents: Tensor, patches: Tensor? = nil, positionCurrents: Tensor? = nil) -> Tensor {
        if similarity != .dot {
            guard let patches, let positionCurrents else { preconditionFailure("backward through \(similarity) needs the forward's patches") }
            let rows = geometry == nil ? dy : dy.channelsLast(channels: outputChannels)
            let dx = similarity.patchGradient(rows, similarities: positionCurrents, patches: patches, weight: weight)
            return geometry.map { Tensor.folded(dx, geometry: $0, batch: dy.rows) } ?? dx
        }
        guard let geometry else { return Tensor.matmul(dy, effectiveWeight) }
        var g = dy
        if preTriangle {
            for i in 0..<g.count where currents.scalars[i] <= 0 { g.scalars[i] = 0 }
        }
        let rows = g.channelsLast(channels: geometry.outputChannels)
        var patches = GroupedProduct.inputGradient(rows, weight: effectiveWeight, groups: geometry.groups)
        // Centring is the symmetric projection I − 11ᵀ/N on each patch: its gradient is itself.
        if centersPatches { HebbianLayer.centreRows(&patches) }
        return Tensor.folded(patches, geometry: geometry, batch: dy.rows)
    }

    /// Replaces the weights through `body` and refreshes ŵ.
    public mutating func updateWeights(_ body: (inout Tensor) -> Void) {
        body(&weight)
        guard lebesguePower != 2 else { return }
        // Rewrite ŵ in place: no allocation per update.
        weight.scalars.withUnsafeBufferPointer { w in
            storedEffectiveWeight.scalars.withUnsafeMutableBufferPointer {
                Kernels.signedPower(w, power: lebesguePower - 1, into: $0)
            }
        }
    }

    /// Radii ‖w_c‖_p of every unit (O).
    public var radii: [Float] { weight.normsRows(p: lebesguePower).scalars }

    /// Subtracts every row's mean from the row (patches (M, N) → zero-mean patches).
    static func centreRows(_ t: inout Tensor) {
        let (m, n) = (t.rows, t.columns)
        t.scalars.withUnsafeMutableBufferPointer { Kernels.centreRows($0, rows: m, columns: n) }
    }

    /// `u ← relu(u − mean_c u)` across the channels of every row (triangle with power 1).
    static func applyPreTriangle(_ u: inout Tensor) {
        let (m, o) = (u.rows, u.columns)
        u.scalars.withUnsafeMutableBufferPointer { v in
            for r in 0..<m {
                let base = r &* o
                var mean: Float = 0
                for c in 0..<o { mean += v[base &+ c] }
                mean /= Float(o)
                for c in 0..<o { v[base &+ c] = Swift.max(0, v[base &+ c] - mean) }
            }
        }
    }
}
