import HebbModel
import HebbTensor
import HebbText

/// Human-readable listing of a resolved model (`hebb presets NAME`, start of `hebb train`).
public enum ModelDescription {
    /// Several lines: the input, then one block per line with its layer string.
    public static func describe(_ model: ResolvedModel) -> String {
        let d = model.data
        var lines = ["\(model.name): input \(d.channels)×\(d.height)×\(d.width), \(d.classCount) classes"]
        for (i, block) in model.blocks.enumerated() {
            let c = block.config
            var ops: [String] = []
            if c.operations.batchNorm2d { ops.append("BatchNorm2d") }
            if c.operations.flatten { ops.append("Flatten") }
            if c.operations.batchNorm1d { ops.append("BatchNorm1d") }
            if let p = c.dropout { ops.append("Dropout(\(p))") }
            let kind = c.layer.kind.isHebbian ? c.layer.kind.rawValue : "BP"
            var layer: String
            if let g = block.convolution {
                var extras = ["k\(g.kernelSize)", "p\(g.padding)"]
                if g.stride != 1 { extras.append("s\(g.stride)") }
                if g.dilation != 1 { extras.append("d\(g.dilation)") }
                if g.groups != 1 { extras.append("g\(g.groups)") }
                layer = "\(kind) conv \(g.inputChannels)→\(g.outputChannels) \(extras.joined(separator: " ")): "
                    + "\(g.inputHeight)×\(g.inputWidth) → \(g.outputHeight)×\(g.outputWidth)"
            } else {
                layer = "\(kind) linear \(block.inputFeatures)→\(c.layer.outChannels ?? 0)"
            }
            switch block.initialisation {
            case .normal(let s)?: layer += cFormat(", init normal σ=%.4f", Double(s))
            case .positiveUniform(let r)?: layer += cFormat(", init U[0, %.4f)", Double(r))
            case .symmetricUniform(let b)?: layer += cFormat(", init U(±%.4f)", Double(b))
            case nil: break
            }
            if let similarity = c.layer.similarity, similarity != .dot { layer += ", \(similarity.rawValue) similarity" }
            let act = c.activation == .identity ? "" : " → \(ActivationString.render(c.activation))"
            let bn = c.outputBatchNorm ? " → BatchNorm" : ""
            var pool = ""
            if let p = block.pool {
                pool = " → \(p.kind == .max ? "max" : "avg")pool(\(p.kernelSize),\(p.stride),\(p.padding)) \(p.outputHeight)×\(p.outputWidth)"
            }
            let loss = c.loss?.attribute.map { " → loss \($0)" } ?? ""
            lines.append("  b\(i): \((ops + [layer]).joined(separator: " → "))\(act)\(bn)\(pool)\(loss)")
            lines.append("      \(LayerString.render(c.layer))")
        }
        return lines.joined(separator: "\n")
    }
}
