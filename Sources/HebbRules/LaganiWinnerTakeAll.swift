import HebbTensor

// Shapes: M competitions (samples × positions), O units; currents u (M, O) are the layer's
// similarities (cosine, Gaussian, projection or dot product).

/// Lagani's competitive Hebbian rule (HebbianMap2d; Amato, Carrara, Falchi, Gennaro, Lagani,
/// ICIAP 2019): the unit most similar to the input wins and moves towards it,
/// `Δw_i = η·(x − w_i)`, aggregated over a batch's competitions by the weighted average of
/// `WeightUpdateForm.weightedAverage` (for shared conv kernels: the mean of the patches won).
///
/// The modulation r of each (competition, unit) is the lateral feedback — 1 for the winner and
/// `loserValue` for the others, or the self-organising-map neighbourhood of the winner — times
/// the similarity y in the `hebbian` variant (`Δw = η·y·(x − w)`). A teacher restricts the
/// competition to the kernels of the sample's class and the free kernels.
public struct LaganiWinnerTakeAll: LearningRule, Equatable {
    /// Lagani's `weight_upd_rule`.
    public enum Modulation: String, Codable, Sendable, CaseIterable {
        /// `base`: r = lateral feedback.
        case base
        /// `hebb`: r = lateral feedback × similarity y.
        case hebbian = "hebb"
    }

    /// How the similarity y of the `hebbian` variant is read from the currents.
    public enum Response: Sendable, Equatable {
        /// y = u.
        case current
        /// y = ((1 + u)/2)², Lagani's competition similarity `raised_cos2d_pow(2)` for a layer
        /// whose currents are cosines.
        case raisedCosineSquared
    }

    /// base or hebb.
    public var modulation: Modulation
    /// How y is read in the `hebbian` variant.
    public var response: Response
    /// Lateral feedback of the losers (Lagani's numeric `lfb_value`; negative is anti-Hebbian).
    public var loserValue: Float
    /// SOM neighbourhood replacing the winner/loser values, if any.
    public var neighbourhood: SelfOrganisingNeighbourhood?
    /// Class-bound kernels, if the layer learns with a teacher.
    public var teacher: ClassTeacher?

    /// Creates the rule.
    public init(
        modulation: Modulation = .base, response: Response = .current, loserValue: Float = 0,
        neighbourhood: SelfOrganisingNeighbourhood? = nil, teacher: ClassTeacher? = nil
    ) {
        self.modulation = modulation
        self.response = response
        self.loserValue = loserValue
        self.neighbourhood = neighbourhood
        self.teacher = teacher
    }

    /// Lagani's weighted average of the per-competition steps.
    public var updateForm: WeightUpdateForm { .weightedAverage }

    /// The modulation r (M, O).
    public func postSynapticSignal(currents: Tensor) -> PostSynapticSignal {
        let (m, o) = (currents.rows, currents.columns)
        let winners = self.winners(currents)
        let table = neighbourhood.map { n -> [Float] in
            precondition(n.units == o, "SOM map \(n.mapShape) has \(n.units) units, the layer \(o)")
            return n.table()
        }
        // In the `hebb` variant r is multiplied by y; Lagani's teacher product changes y in
        // place, so units outside the sample's class group and the free kernels get y = 0.
        let y: (Int, Int) -> Float = { r, c in
            guard modulation == .hebbian else { return 1 }
            if let teacher, !teacher.allows(unit: c, target: Int(teacher.targets[r]), units: o) { return 0 }
            let u = currents.scalars[r * o + c]
            return response == .current ? u : (1 + u) * (1 + u) / 4
        }
        guard table != nil || loserValue != 0 else {
            let entries = winners.enumerated().map { r, w in SparseEntry(unit: w, value: y(r, Int(w))) }
            return .sparse(rows: m, units: o, perRow: 1, entries: entries)
        }
        var r = [Float](repeating: 0, count: m * o)
        for row in 0..<m {
            let winner = Int(winners[row])
            for c in 0..<o {
                let feedback = table.map { min(1, max(-1, $0[winner * o + c])) } ?? (c == winner ? 1 : loserValue)
                if feedback != 0 { r[row * o + c] = feedback * y(row, c) }
            }
        }
        return .dense(Tensor(shape: [m, o], scalars: r))
    }

    /// The winning unit of each row among the units it may compete with (lowest index on ties).
    public func winners(_ currents: Tensor) -> [Int32] {
        guard let teacher else { return currents.argmaxRows() }
        let (m, o) = (currents.rows, currents.columns)
        precondition(teacher.targets.count == m, "\(teacher.targets.count) teacher targets for \(m) competitions")
        precondition(teacher.boundKernels <= o, "\(teacher.boundKernels) class-bound kernels exceed the \(o) units")
        return currents.scalars.withUnsafeBufferPointer { u in
            (0..<m).map { r in
                var best = -1
                var bestValue = -Float.infinity
                let (group, free) = teacher.allowedUnits(target: Int(teacher.targets[r]), units: o)
                for range in [group, free] {
                    for c in range where best < 0 || u[r * o + c] > bestValue {
                        best = c
                        bestValue = u[r * o + c]
                    }
                }
                return Int32(best)
            }
        }
    }
}

/// Lagani's teacher for hidden layers: the first `kernelsPerClass·classCount` kernels form one
/// group per class, and a group may only win for its class's samples; the remaining kernels are
/// free and always compete. With one kernel per class and no free kernels the teacher alone picks
/// the unit: Lagani's supervised classifier, a running class centroid.
public struct ClassTeacher: Sendable, Equatable {
    /// Class index of each competition row (a sample's label repeated over its positions).
    public var targets: [Int32]
    /// Kernels bound to each class.
    public var kernelsPerClass: Int
    /// Number of classes.
    public var classCount: Int

    /// Creates the teacher for one batch.
    public init(targets: [Int32], kernelsPerClass: Int, classCount: Int) {
        precondition(kernelsPerClass >= 1 && classCount >= 1, "teacher needs ≥ 1 kernel per class and ≥ 1 class")
        precondition(targets.allSatisfy { $0 >= 0 && Int($0) < classCount }, "a teacher target is outside 0..<\(classCount)")
        self.targets = targets
        self.kernelsPerClass = kernelsPerClass
        self.classCount = classCount
    }

    /// Kernels bound to a class in total.
    public var boundKernels: Int { kernelsPerClass * classCount }

    /// Whether `unit` may win for a sample of class `target`.
    func allows(unit: Int, target: Int, units: Int) -> Bool {
        let (group, free) = allowedUnits(target: target, units: units)
        return group.contains(unit) || free.contains(unit)
    }

    /// The class group of `target` and the free kernels.
    func allowedUnits(target: Int, units: Int) -> (group: Range<Int>, free: Range<Int>) {
        (target * kernelsPerClass..<(target + 1) * kernelsPerClass, boundKernels..<units)
    }
}
