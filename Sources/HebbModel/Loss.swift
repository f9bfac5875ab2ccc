import HebbText
import HebbTensor

// Shapes: B samples, K classes; outputs (B, K).

/// The supervised loss on a model's outputs.
public enum Loss: Sendable, Equatable, Codable {
    /// Softmax cross-entropy on logits (SoftHebb's classifier).
    case crossEntropy
    /// Krotov & Hopfield's supervised stage (PNAS 2019, eq. 12; PyTorch-Hebbian's SPELoss):
    /// `Σ_α |c_α − t_α|^m` on outputs c (a tanh(β·) layer), t = +1 for the class and −1 otherwise,
    /// summed over classes and averaged over the batch.
    case power(exponent: Float)

    /// Mean loss over the batch, its gradient with respect to the outputs, and the number of
    /// correct arg-max predictions.
    public func evaluate(outputs: Tensor, labels: [Int32]) -> (loss: Float, gradient: Tensor, correct: Int) {
        switch self {
        case .crossEntropy: return CrossEntropy.evaluate(logits: outputs, labels: labels)
        case .power(let m): return Loss.power(outputs, labels: labels, exponent: m)
        }
    }

    private static func power(_ c: Tensor, labels: [Int32], exponent m: Float) -> (loss: Float, gradient: Tensor, correct: Int) {
        let (b, k) = (c.rows, c.columns)
        precondition(labels.count == b, "\(labels.count) labels for \(b) outputs")
        var gradient = Tensor.zeros([b, k])
        var total = 0.0
        let predictions = c.argmaxRows()
        let scale = 1 / Float(max(1, b))
        for r in 0..<b {
            for a in 0..<k {
                let difference = c[r, a] - (Int(labels[r]) == a ? 1 : -1)
                let magnitude = abs(difference)
                total += pow(Double(magnitude), Double(m))
                // d|d|^m/dd = m·|d|^(m−1)·sign(d)
                let slope = magnitude == 0 ? 0 : m * pow(magnitude, m - 1)
                gradient[r, a] = scale * (difference < 0 ? -slope : slope)
            }
        }
        let correct = zip(predictions, labels).filter { $0 == $1 }.count
        return (Float(total / Double(max(1, b))), gradient, correct)
    }

    /// The block attribute that selects the loss (`powerloss_6`), nil for cross-entropy.
    public var attribute: String? {
        guard case .power(let m) = self else { return nil }
        return m == m.rounded() ? "powerloss_\(Int(m))" : "powerloss_\(m)"
    }
}
