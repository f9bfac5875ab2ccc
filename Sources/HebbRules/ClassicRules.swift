import HebbTensor

// Shapes: M competitions, N inputs, O units; x (M, N), u = y (M, O), W (O, N).

/// Oja's rule (Oja 1982), vectorised: `Δw_c = η·mean_m y_mc·(x_m − y_mc·w_c)` with the linear
/// response y = u = x·Wᵀ.
///
/// It is the shared form `Σ_m y_mc·x_m − (Σ_m y_mc·u_mc)·w_c` with y = u, averaged over the
/// competitions (batch × positions for a convolution) as PyTorch-Hebbian's OjasRule averages its
/// per-sample loop over the batch. Each unit converges to unit norm along the inputs' principal
/// direction; with p ≠ 2 the response is the weighted current ⟨W, x⟩_p.
public struct Oja: LearningRule, Equatable {
    /// Creates the rule.
    public init() {}

    /// y = u.
    public func postSynapticSignal(currents: Tensor) -> PostSynapticSignal { .dense(currents) }

    /// The batch mean of the Oja change.
    public var updateForm: WeightUpdateForm { .competitionMean }
}

/// Plain Hebb (Hebb 1949) with the linear response y = u: `Δw = η·(mean_m y_m·x_mᵀ − λ·w)`.
///
/// Without decay or normalisation the weights grow without bound; `weightDecay` λ adds the
/// passive decay and `normalisesUnits` rescales every unit to p-norm 1 after each step (the
/// explicit normalisation that Oja's rule approximates to first order).
public struct PlainHebbian: LearningRule, Equatable {
    /// Weight decay λ (0: none).
    public var weightDecay: Float
    /// Whether each unit is rescaled to p-norm 1 after every step.
    public var normalisesUnits: Bool

    /// Creates the rule.
    public init(weightDecay: Float = 0, normalisesUnits: Bool = false) {
        self.weightDecay = weightDecay
        self.normalisesUnits = normalisesUnits
    }

    /// y = u.
    public func postSynapticSignal(currents: Tensor) -> PostSynapticSignal { .dense(currents) }

    /// The batch mean of y·xᵀ minus λ·W.
    public var updateForm: WeightUpdateForm { .plainHebbian(weightDecay: weightDecay) }
}
