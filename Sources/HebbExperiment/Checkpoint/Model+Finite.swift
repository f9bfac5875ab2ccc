import HebbModel
import HebbTensor

/// Finiteness checks that keep NaN and infinity out of checkpoints and stop a diverging run.
extension Model {
    /// The first of `blocks` whose backprop parameters (linear or conv weight and bias) hold a NaN
    /// or an infinity; Hebbian layers are skipped (their radii are checked after each update).
    func firstNonFiniteParameters(among blocks: [Int]) -> Int? {
        blocks.first { i in
            switch self.blocks[i].layer {
            case .linear(let layer): return !layer.weight.isFinite || !layer.bias.isFinite
            case .convolution(let layer): return !layer.weight.isFinite || !(layer.bias?.isFinite ?? true)
            case .hebbian: return false
            }
        }
    }

    /// The first persistent tensor (sorted by name) holding a NaN or an infinity.
    func firstNonFiniteTensor() -> String? {
        namedTensors().sorted { $0.key < $1.key }.first { !$0.value.isFinite }?.key
    }
}
