import Foundation

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
        parts.append(String(format: "(%.1fs)", r.seconds))
        return parts.joined(separator: "  ")
    }

    static func scientific(_ x: Float) -> String { String(format: "%.2e", Double(x)) }

    static func fixed(_ x: Float?, digits: Int = 2) -> String {
        guard let x else { return "-" }
        return String(format: "%.\(digits)f", Double(x))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds)
        return String(format: "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }
}
