import HebbText
import HebbTensor

/// Softmax cross-entropy, mean over the batch.
public enum CrossEntropy {
    /// Loss, gradient w.r.t. the logits (B, K) and the number of correct arg-max predictions.
    public static func evaluate(logits: Tensor, labels: [Int32]) -> (loss: Float, gradient: Tensor, correct: Int) {
        let (b, k) = (logits.rows, logits.columns)
        precondition(labels.count == b, "\(labels.count) labels for \(b) logits")
        var gradient = logits.softmaxRows()
        var total: Double = 0
        var correct = 0
        let predictions = logits.argmaxRows()
        for r in 0..<b {
            let label = Int(labels[r])
            // log-sum-exp in Double, so the loss does not saturate where the softmax underflows
            let row = (0..<k).map { Double(logits[r, $0]) }
            let top = row.max() ?? 0
            total += top + log(row.reduce(0) { $0 + exp($1 - top) }) - row[label]
            gradient[r, label] -= 1
            if predictions[r] == labels[r] { correct += 1 }
        }
        let scale = 1 / Float(b)
        gradient.scalars.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
        return (Float(total / Double(b)), gradient, correct)
    }
}

/// Adam (Kingma & Ba 2015) with PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay.
public struct Adam: Sendable {
    private var firstMoments: [String: [Float]] = [:]
    private var secondMoments: [String: [Float]] = [:]
    private var steps: [String: Int] = [:]
    /// β₁, β₂, ε.
    public let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8

    /// A fresh optimiser.
    public init() {}

    /// The optimiser's state as named tensors, `<parameter>.m`, `<parameter>.v` (moments) and
    /// `<parameter>.step` (one value), for end-of-epoch checkpoints.
    public var state: [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, m) in firstMoments {
            out[name + ".m"] = Tensor(shape: [m.count], scalars: m)
            out[name + ".v"] = Tensor(shape: [m.count], scalars: secondMoments[name] ?? [])
            out[name + ".step"] = Tensor(shape: [1], scalars: [Float(steps[name] ?? 0)])
        }
        return out
    }

    /// An optimiser that continues from `state` as `state` wrote it; incomplete entries are skipped.
    public init(state: [String: Tensor]) {
        for (key, m) in state where key.hasSuffix(".m") {
            let name = String(key.dropLast(2))
            guard let v = state[name + ".v"], v.count == m.count, let step = state[name + ".step"]?.scalars.first,
                step >= 1, step == step.rounded()
            else { continue }
            firstMoments[name] = m.scalars
            secondMoments[name] = v.scalars
            steps[name] = Int(step)
        }
    }

    /// One step on parameter `name` with gradient `gradient` and learning rate `learningRate`.
    public mutating func step(_ name: String, parameter: inout Tensor, gradient: Tensor, learningRate: Float) {
        precondition(parameter.shape == gradient.shape, "Adam: \(name) \(parameter.shape) vs grad \(gradient.shape)")
        var m = firstMoments[name] ?? [Float](repeating: 0, count: parameter.count)
        var v = secondMoments[name] ?? [Float](repeating: 0, count: parameter.count)
        let t = (steps[name] ?? 0) + 1
        let (stepSize, root2) = biasCorrection(step: t, learningRate: learningRate)
        parameter.scalars.withUnsafeMutableBufferPointer { p in
            gradient.scalars.withUnsafeBufferPointer { g in
                for i in 0..<p.count {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                    p[i] -= stepSize * m[i] / (v[i].squareRoot() / root2 + epsilon)
                }
            }
        }
        firstMoments[name] = m
        secondMoments[name] = v
        steps[name] = t
    }

    /// Step `t`'s (1-based) bias-corrected step size lr/(1 − β₁ᵗ) and √(1 − β₂ᵗ); the update is
    /// `p −= stepSize·m / (√v / root + ε)`.
    public func biasCorrection(step t: Int, learningRate: Float) -> (stepSize: Float, root: Float) {
        (learningRate / (1 - powf(beta1, Float(t))), (1 - powf(beta2, Float(t))).squareRoot())
    }

    /// Steps taken on parameter `name` (0 before the first).
    public func steps(of name: String) -> Int { steps[name] ?? 0 }
}

/// SoftHebb's halving schedule for supervised phases (spec §4.3): for E epochs, the rate halves
/// after epochs ⌊0.5E⌋, ⌊0.75E⌋ (20 ≤ E < 50) or ⌊rE⌋, r ∈ {0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9} (E ≥ 50).
public struct HalvingSchedule: Sendable, Equatable {
    /// Epochs (1-based) after which the rate halves.
    public let milestones: [Int]

    /// The schedule for a phase of `epochs` epochs.
    public init(epochs: Int) {
        if epochs < 20 {
            milestones = []
        } else if epochs < 50 {
            milestones = [Int(0.5 * Double(epochs)), Int(0.75 * Double(epochs))]
        } else {
            milestones = [0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9].map { Int($0 * Double(epochs)) }
        }
    }

    /// The rate used during 1-based epoch `epoch`, starting from `base`.
    public func rate(base: Float, epoch: Int) -> Float {
        let halvings = milestones.filter { $0 < epoch }.count
        return base * powf(0.5, Float(halvings))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
