import HebbTensor

// Shapes: M competitions (samples, or samples × positions for conv patches), N inputs per
// competition (fan-in), O units. x (M, N), u (M, O), W (O, N).

/// What a rule sees: pre-synaptic inputs (patches), currents and the layer's stored weights.
///
/// Conv layers hand over unfolded patches, so every rule is written once for linear and conv.
public struct RuleContext: Sendable {
    /// Pre-synaptic inputs, one competition per row: (M, N).
    public var inputs: Tensor
    /// Currents `u = x·ŵᵀ` (ŵ = sign(W)·|W|^(p−1)), one competition per row: (M, O).
    public var currents: Tensor
    /// Stored weights W: (O, N).
    public var weights: Tensor

    /// Bundles the three tensors; shapes are checked.
    public init(inputs: Tensor, currents: Tensor, weights: Tensor) {
        precondition(
            inputs.rows == currents.rows && inputs.columns == weights.columns
                && currents.columns == weights.rows,
            "rule context shapes disagree: x \(inputs.shape), u \(currents.shape), W \(weights.shape)")
        self.inputs = inputs
        self.currents = currents
        self.weights = weights
    }
}

/// Post-synaptic signal `y` (M, O) of a competition: dense, or a few non-zeros per row.
public enum PostSynapticSignal: Sendable, Equatable {
    /// Every entry, (M, O).
    case dense(Tensor)
    /// Non-zero entries only: `perRow` (unit, value) pairs for each competition row, flat.
    case sparse(rows: Int, units: Int, perRow: Int, entries: [SparseEntry])

    /// The signal as a dense (M, O) matrix (for tests and statistics).
    public var denseMatrix: Tensor {
        switch self {
        case .dense(let y): return y
        case .sparse(let rows, let units, let perRow, let entries):
            var y = Tensor.zeros([rows, units])
            for (i, e) in entries.enumerated() { y[i / perRow, Int(e.unit)] += e.value }
            return y
        }
    }
}

/// One non-zero of a sparse post-synaptic signal.
public struct SparseEntry: Sendable, Equatable {
    /// Unit index.
    public var unit: Int32
    /// Signal value y.
    public var value: Float
    /// Creates an entry.
    public init(unit: Int32, value: Float) {
        self.unit = unit
        self.value = value
    }
}

/// A local learning rule: maps the currents of a competition to a post-synaptic signal, and says
/// how the signal becomes a weight change (`updateForm`).
///
/// By default a rule shares the weight change of SoftHebb (Journé et al., ICLR 2023, eq. 6) and
/// Krotov & Hopfield (PNAS 2019): `Δw_c = Σ_m y_mc·(x_m − u_mc·w_c)`, then max-abs normalised;
/// see `HebbianDelta`. A rule never touches layers and never applies the learning rate.
public protocol LearningRule: Sendable {
    /// The post-synaptic signal y for currents u (M, O).
    func postSynapticSignal(currents: Tensor) -> PostSynapticSignal
    /// How y becomes ΔW (default `.globalMaxAbsolute`).
    var updateForm: WeightUpdateForm { get }
    /// Whether every unit is rescaled to p-norm 1 after each step (default false).
    var normalisesUnits: Bool { get }
}

extension LearningRule {
    /// SoftHebb's and Krotov's change: `Σ_m y_mc·(x_m − u_mc·w_c)`, global max-abs normalised.
    public var updateForm: WeightUpdateForm { .globalMaxAbsolute }
    /// No explicit normalisation.
    public var normalisesUnits: Bool { false }

    /// The weight change for `context` at learning rate 1: (O, N).
    public func delta(for context: RuleContext) -> Tensor {
        let signal = postSynapticSignal(currents: context.currents)
        return HebbianDelta(signal: signal, context: context, form: updateForm).normalised
    }
}
