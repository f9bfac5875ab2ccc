import HebbText

/// SoftHebb-style epoch lines (spec §4.5), with a proper mean loss (quirk 17 fixed).
public enum EpochLine {
    /// One line for an epoch record; `elapsed` is wall time since the run began.
    public static func format(_ r: EpochRecord, elapsed: Double) -> String {
        var parts = [
            "Epoch: [\(r.epoch)/\(r.epochs)]", "lr: \(scientific(r.learningRate))", "time: \(clock(elapsed))",
        ]
        if r.kind == .unsupervised {
            parts.append("Acc_train \(fixed(r.trainAccuracy))")
            parts.append("Acc_test \(fixed(r.testAccuracy))")
        } else {
            parts.append("Loss_train \(fixed(r.trainLoss, digits: 5))")
            parts.append("Acc_train \(fixed(r.trainAccuracy))")
            parts.append("/  Loss_test \(fixed(r.testLoss, digits: 5))")
            parts.append("Acc_test \(fixed(r.testAccuracy))")
        }
        if let c = r.convergence { parts.append("convergence: \(scientific(c))") }
        if let r1 = r.r1 { parts.append("R1: \(r1)") }
        if let blocks = r.hebbian, !blocks.isEmpty {
            parts.append("Info " + blocks.reversed().map(\.info).joined(separator: " *** "))  // last trained first, as SoftHebb
        }
        parts.append(cFormat("(%.1fs)", r.seconds))
        return parts.joined(separator: "  ")
    }

    /// The neuron tables of the record's Hebbian blocks: the first 20 units of a linear block, 30
    /// of a conv block (spec §4.5), or nil when it has none.
    public static func neuronTables(_ r: EpochRecord) -> String? {
        guard let blocks = r.hebbian, !blocks.isEmpty else { return nil }
        return blocks.map { "block \($0.block) neurons:\n" + $0.neurons.formatted(first: $0.convolutional ? 30 : 20) }
            .joined(separator: "\n")
    }

    static func scientific(_ x: Float) -> String { cFormat("%.2e", Double(x)) }

    static func fixed(_ x: Float?, digits: Int = 2) -> String {
        guard let x else { return "-" }
        return cFormat("%.\(digits)f", Double(x))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return cFormat("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }
}

/// Where a run is, for a progress bar: mini-batch `step` of `steps` in epoch `epoch` of `epochs`
/// of phase `phase` (0-based) of `phases`.
public struct TrainingProgress: Sendable, Equatable {
    /// Phase index and count.
    public var phase: Int, phases: Int
    /// 1-based epoch and the phase's epochs.
    public var epoch: Int, epochs: Int
    /// 1-based mini-batch and the epoch's mini-batches.
    public var step: Int, steps: Int

    /// Creates a progress point.
    public init(phase: Int, phases: Int, epoch: Int, epochs: Int, step: Int, steps: Int) {
        (self.phase, self.phases, self.epoch, self.epochs, self.step, self.steps) = (phase, phases, epoch, epochs, step, steps)
    }

    /// Fraction of the current phase done, in [0, 1].
    public var phaseFraction: Double {
        let total = Double(max(1, epochs) * max(1, steps))
        return min(1, Double((epoch - 1) * steps + step) / total)
    }
}
