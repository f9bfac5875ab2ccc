import HebbModel
import HebbTensor

/// Something that happened during training; handlers log, save and evaluate on these.
public enum TrainingEvent: Sendable {
    /// Phase `index` of the plan begins.
    case phaseStarted(index: Int, phase: Phase)
    /// Mini-batch `step` of `steps` in epoch `epoch` of phase `index` finished (progress bars).
    case batchEnded(index: Int, epoch: Int, step: Int, steps: Int)
    /// An epoch ended; the record holds its measures.
    case epochEnded(EpochRecord)
    /// After `epochEnded`: the model, the optimiser and the state phase `index` continues from
    /// after this epoch, for an end-of-epoch checkpoint.
    case epochCheckpoint(index: Int, progress: PhaseProgress, model: Model, optimizer: Adam)
    /// Phase `index` finished every epoch.
    case phaseEnded(index: Int, phase: Phase)
    /// A line for the log, such as where a phase runs (`--device cuda`).
    case note(String)
}

/// Where an interrupted phase continues: the epochs it finished and the trainer state they left,
/// besides the weights (stored in the run record of an end-of-epoch checkpoint).
public struct PhaseProgress: Codable, Sendable, Equatable {
    /// Phase index in the plan.
    public var phase: Int
    /// Epochs of the phase already finished (1-based count).
    public var epochsCompleted: Int
    /// The phase's data-order/dropout generator after those epochs: its four xoshiro256** words.
    public var randomState: [UInt64]
    /// Hebbian updates applied so far per block (drives linear decay).
    public var hebbianUpdates: [Int]

    /// Captures `generator` after `epochsCompleted` epochs of phase `phase`.
    public init(phase: Int, epochsCompleted: Int, generator: SeededGenerator, hebbianUpdates: [Int]) {
        self.phase = phase
        self.epochsCompleted = epochsCompleted
        self.randomState = PhaseProgress.words(of: generator)
        self.hebbianUpdates = hebbianUpdates
    }

    /// The saved generator, or nil when the state is unusable (wrong length, all zero, or a
    /// `SeededGenerator` whose layout is no longer four plain words).
    public var generator: SeededGenerator? {
        guard PhaseProgress.isPlainState, randomState.count == 4, randomState.contains(where: { $0 != 0 })
        else { return nil }
        var generator = SeededGenerator(seed: 0)
        withUnsafeMutableBytes(of: &generator) { raw in
            for (i, word) in randomState.enumerated() { raw.storeBytes(of: word, toByteOffset: 8 * i, as: UInt64.self) }
        }
        return generator
    }

    /// `SeededGenerator` keeps its state private; it is four `UInt64`s and nothing else, so its
    /// bytes are the state. Checked here so a change of layout disables mid-phase resume instead
    /// of restoring garbage.
    static let isPlainState = _isPOD(SeededGenerator.self) && MemoryLayout<SeededGenerator>.size == 32

    private static func words(of generator: SeededGenerator) -> [UInt64] {
        guard isPlainState else { return [] }
        return withUnsafeBytes(of: generator) { raw in (0..<4).map { raw.load(fromByteOffset: 8 * $0, as: UInt64.self) } }
    }
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
    /// Units with |r_c − 1| < 0.005 (linear) or 0.01 (conv) in that block.
    public var r1: Int?
    /// Measures of every trained Hebbian block (Info string, neuron table), in block order.
    public var hebbian: [BlockMeasures]?
    /// mean_c r_c of that block (absent in metrics written before it was recorded).
    public var meanRadius: Float?
    /// Wall time of the epoch including evaluation, seconds.
    public var seconds: Double
    /// Mean cross-entropy of every mini-batch, in order (only when the trainer records them).
    public var batchLosses: [Float]?
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
