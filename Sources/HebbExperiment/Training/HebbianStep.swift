import HebbModel
import HebbRules
import HebbTensor

// Shapes: M competitions (samples × positions), N fan-in of one unit, O units, G groups.

/// One batch's weight change of a Hebbian block, from the patches and currents of its trace.
///
/// The rule sees (M, N) inputs and (M, O) currents whether the layer is fully connected or
/// convolutional. A grouped convolution runs one competition per group, and each group's change is
/// normalised by its own max-abs (SoftHebb spec §3.3).
enum HebbianStep {
    /// Writes ΔW (O, N) into `buffer` and returns the normaliser to apply it with: max|ΔW| for an
    /// ungrouped layer; 1 for a grouped one, whose groups are already normalised in `buffer`.
    /// A non-finite return means the change is unusable. The signal is added to `tally`.
    static func computeDelta(
        rule: any LearningRule, trace: Block.Trace, layer: HebbianLayer, into buffer: inout Tensor, tally: inout WinTally
    ) -> Float {
        let groups = layer.groups
        tally.add(currents: trace.positionCurrents)
        if groups == 1 {
            let context = RuleContext(inputs: trace.patches, currents: trace.positionCurrents, weights: layer.weight)
            let signal = rule.postSynapticSignal(currents: trace.positionCurrents)
            tally.add(signal)
            return HebbianDelta.compute(signal: signal, context: context, form: rule.updateForm, into: &buffer)
        }
        let (n, unitsPerGroup) = (layer.inputFeatures, layer.outputChannels / groups)
        var part = Tensor.zeros([unitsPerGroup, n])
        for g in 0..<groups {
            let x = columns(trace.patches, from: g * n, count: n)
            let u = columns(trace.positionCurrents, from: g * unitsPerGroup, count: unitsPerGroup)
            let w = layer.weight.rows((g * unitsPerGroup)..<((g + 1) * unitsPerGroup))
            let context = RuleContext(inputs: x, currents: u, weights: w)
            let signal = rule.postSynapticSignal(currents: u)
            tally.add(signal, unitOffset: g * unitsPerGroup)
            let maximum = HebbianDelta.compute(signal: signal, context: context, form: rule.updateForm, into: &part)
            guard maximum.isFinite else { return maximum }
            let scale = 1 / (maximum + HebbianDelta.normaliserFloor)
            let offset = g * unitsPerGroup * n
            for i in 0..<part.count { buffer.scalars[offset + i] = part.scalars[i] * scale }
        }
        return 1
    }

    /// A contiguous copy of columns [from, from + count) of a matrix.
    static func columns(_ matrix: Tensor, from start: Int, count: Int) -> Tensor {
        let (rows, width) = (matrix.rows, matrix.columns)
        var out = [Float](repeating: 0, count: rows * count)
        matrix.scalars.withUnsafeBufferPointer { source in
            for r in 0..<rows {
                for c in 0..<count { out[r * count + c] = source[r * width + start + c] }
            }
        }
        return Tensor(shape: [rows, count], scalars: out)
    }
}
