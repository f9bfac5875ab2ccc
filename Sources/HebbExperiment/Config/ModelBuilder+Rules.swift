import HebbModel
import HebbRules

/// What one training batch tells a rule beyond the currents.
public struct RuleBatch: Sendable {
    /// Class of each sample, when the phase has labels.
    public var labels: [Int32]?
    /// Output positions per sample (competitions per sample); 1 for a fully connected layer.
    public var positions: Int
    /// Updates the layer has had so far (drives the SOM shrinking).
    public var updateIndex: Int
    /// Number of classes of the dataset.
    public var classCount: Int

    /// Creates the batch description.
    public init(labels: [Int32]?, positions: Int, updateIndex: Int, classCount: Int) {
        self.labels = labels
        self.positions = positions
        self.updateIndex = updateIndex
        self.classCount = classCount
    }

    /// The label of every competition row (each sample's label repeated over its positions).
    var rowTargets: [Int32]? {
        labels.map { labels in labels.flatMap { [Int32](repeating: $0, count: positions) } }
    }
}

extension ModelBuilder {
    /// Default time constant τ (updates) of the SOM shrinking and the exponential rate decay.
    public static let defaultTimeConstant: Float = 1000

    /// The local rule of a Hebbian layer that needs no labels, at its first update (nil for BP
    /// layers and for layers that learn from labels).
    public static func rule(for layer: LayerConfig) -> (any LearningRule)? {
        rule(for: layer, batch: RuleBatch(labels: nil, positions: 1, updateIndex: 0, classCount: 1))
    }

    /// The local rule of a Hebbian layer for one batch (nil for BP layers, and for layers that
    /// learn from labels when the batch has none).
    public static func rule(for layer: LayerConfig, batch: RuleBatch) -> (any LearningRule)? {
        switch layer.kind {
        case .backprop: return nil
        case .supervisedSoftKrotov: return batch.rowTargets.map { SupervisedHebbian(targets: $0) }
        case .hard: return HardWinnerTakeAll()
        case .hardKrotov: return KrotovHopfield(rankingK: layer.rankingK, antiHebbianStrength: layer.antiHebbianStrength)
        case .soft: return SoftHebb(inverseTemperature: layer.inverseTemperature, antiHebbian: false)
        case .softKrotov: return SoftHebb(inverseTemperature: layer.inverseTemperature, antiHebbian: true)
        case .oja: return Oja()
        case .plainHebbian: return PlainHebbian(weightDecay: layer.weightDecay ?? 0, normalisesUnits: layer.unitNormalisation ?? false)
        case .winnerTakeAll:
            var teacher: ClassTeacher?
            if let perClass = layer.kernelsPerClass {
                guard let targets = batch.rowTargets else { return nil }
                teacher = ClassTeacher(targets: targets, kernelsPerClass: perClass, classCount: batch.classCount)
            }
            let neighbourhood = layer.neighbourhoodMap.map {
                SelfOrganisingNeighbourhood(
                    mapShape: $0, timeConstant: layer.timeConstant ?? defaultTimeConstant, updateIndex: batch.updateIndex)
            }
            return LaganiWinnerTakeAll(
                modulation: layer.modulation ?? .base, response: layer.similarity == .angular ? .raisedCosineSquared : .current,
                loserValue: -(layer.loserStrength ?? 0), neighbourhood: neighbourhood, teacher: teacher)
        }
    }

    /// Why the rule options of `layer` with `units` filters do not fit together, or nil.
    static func localRuleProblem(_ layer: LayerConfig, units: Int, classCount: Int) -> String? {
        let kind = layer.kind.rawValue
        if let similarity = layer.similarity, similarity != .dot {
            guard layer.kind.isHebbian else { return "'sim\(similarity.rawValue)' needs a Hebbian layer; BP layers use dot products" }
            guard layer.lebesguePower == 2, layer.groups == 1, !layer.preTriangle else {
                return "'sim\(similarity.rawValue)' needs lb2, one group and no pre-triangle (e1)"
            }
        }
        if layer.centeredPatches == true {
            guard layer.kind.isHebbian, layer.arch == .cnn, layer.groups == 1 else {
                return "'center1' needs a Hebbian convolution with one group"
            }
        }
        if layer.kind != .plainHebbian, layer.weightDecay != nil || layer.unitNormalisation != nil {
            return "'wd' and 'norm' belong to hebb layers, not \(kind)"
        }
        let laganiOptions: [Any?] = [layer.modulation, layer.loserStrength, layer.neighbourhoodMap, layer.kernelsPerClass]
        if layer.kind != .winnerTakeAll, laganiOptions.contains(where: { $0 != nil }) {
            return "'upd', 'anti', 'som' and 'teach' belong to wta layers, not \(kind)"
        }
        if let map = layer.neighbourhoodMap {
            guard layer.groups == 1, map.reduce(1, *) == units else {
                return "SOM map \(map.map(String.init).joined(separator: "x")) must hold exactly the \(units) units (one group)"
            }
        }
        if let perClass = layer.kernelsPerClass {
            guard layer.groups == 1, perClass * classCount <= units else {
                return "teacher: \(perClass) kernels per class × \(classCount) classes exceed the \(units) units (or groups ≠ 1)"
            }
        }
        return nil
    }
}
