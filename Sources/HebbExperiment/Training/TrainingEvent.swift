/// Something that happened during training; handlers log, save and evaluate on these.
public enum TrainingEvent: Sendable {
    /// Phase `index` of the plan begins.
    case phaseStarted(index: Int, phase: Phase)
    /// An epoch ended; the record holds its measures.
    case epochEnded(EpochRecord)
    /// Phase `index` finished every epoch.
    case phaseEnded(index: Int, phase: Phase)
}

/// Measures of one epoch (one line of metrics.jsonl).
public struct EpochRecord: Codable, Sendable, Equatable {
    /// Phase index in the plan.
    public var phase: Int
    /// Phase kind.
    public var kind: PhaseKind
    /// Trained blocks.
    public var blocks: [Int]
    /// 1-based epoch and the phase's epoch count.
    public var epoch: Int, epochs: Int
    /// Learning rate: Adam's for supervised phases, the mean Hebbian η of the last trained block otherwise.
    public var learningRate: Float
    /// Mean cross-entropy over the epoch's training batches (supervised phases).
    public var trainLoss: Float?
    /// Training accuracy, percent.
    public var trainAccuracy: Float?
    /// Evaluation-set mean cross-entropy (supervised phases, print epochs).
    public var testLoss: Float?
    /// Evaluation-set accuracy, percent (print epochs; neuron-label accuracy for Hebbian MLP phases).
    public var testAccuracy: Float?
    /// mean_c |r_c − 1| of the last trained Hebbian block.
    public var convergence: Float?
    /// Units with |r_c − 1| < 0.005 (linear) in that block.
    public var r1: Int?
    /// Wall time of the epoch including evaluation, seconds.
    public var seconds: Double
}

/// Failures during training.
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// NaN or infinity appeared.
    case nonFinite(what: String, block: Int, epoch: Int, step: Int)

    /// One line: what, where, hint.
    public var description: String {
        switch self {
        case .nonFinite(let what, let block, let epoch, let step):
            return "\(what) became NaN or infinite in block b\(block) at epoch \(epoch), step \(step) (lower the learning rate; the last good checkpoint is kept)"
        }
    }
}
