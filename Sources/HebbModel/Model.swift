import HebbTensor

/// An ordered stack of blocks with named state, `blocks.<i>.<part>.<tensor>`.
public struct Model: Sendable, Equatable {
    /// The blocks, input first.
    public var blocks: [Block]

    /// Wraps blocks.
    public init(blocks: [Block]) { self.blocks = blocks }

    /// Every persistent tensor by name: layer weights (and BP biases) and norm running statistics.
    public func namedTensors() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (i, block) in blocks.enumerated() {
            let prefix = "blocks.\(i)."
            switch block.layer {
            case .hebbian(let l): out[prefix + "layer.weight"] = Model.persistent(l.weight, l.geometry)
            case .linear(let l):
                out[prefix + "layer.weight"] = l.weight
                out[prefix + "layer.bias"] = l.bias
            case .convolution(let l):
                out[prefix + "layer.weight"] = Model.persistent(l.weight, l.geometry)
                if let bias = l.bias { out[prefix + "layer.bias"] = bias }
            }
            for (name, norm) in [("inputNorm", block.inputNorm), ("outputNorm", block.outputNorm)] {
                guard let norm else { continue }
                out[prefix + name + ".runningMean"] = Tensor(shape: [norm.channels], scalars: norm.runningMean)
                out[prefix + name + ".runningVariance"] = Tensor(shape: [norm.channels], scalars: norm.runningVariance)
            }
        }
        return out
    }

    /// Loads the named tensors whose names start with `blocks.<i>.` for i in `blockIndices`.
    /// Returns the names that were expected but missing, or whose shapes differ.
    public mutating func load(_ tensors: [String: Tensor], blockIndices: Set<Int>) -> [String] {
        var problems: [String] = []
        let expected = namedTensors()
        for (name, current) in expected.sorted(by: { $0.key < $1.key }) {
            guard let index = Model.blockIndex(of: name), blockIndices.contains(index) else { continue }
            guard let value = tensors[name] else { problems.append("\(name) missing"); continue }
            guard value.shape == current.shape else {
                problems.append("\(name) has shape \(value.shape), expected \(current.shape)")
                continue
            }
            set(name, value, block: index)
        }
        return problems
    }

    /// The block index encoded in an exact `blocks.<i>.` prefix.
    public static func blockIndex(of name: String) -> Int? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "blocks", !parts[1].isEmpty,
            parts[1].allSatisfy({ ("0"..."9").contains($0) })
        else { return nil }
        return Int(parts[1])
    }

    /// A weight as stored in checkpoints: (O, N), or PyTorch's [O, C_in/groups, k, k] for a
    /// convolution.
    static func persistent(_ weight: Tensor, _ geometry: ConvolutionGeometry?) -> Tensor {
        guard let g = geometry else { return weight }
        return weight.reshaped([g.outputChannels, g.groupInputChannels, g.kernelSize, g.kernelSize])
    }

    private mutating func set(_ name: String, _ value: Tensor, block i: Int) {
        let part = name.split(separator: ".").dropFirst(2).joined(separator: ".")
        switch part {
        case "layer.weight":
            switch blocks[i].layer {
            case .hebbian(var l):
                l.updateWeights { $0 = value.reshaped($0.shape) }
                blocks[i].layer = .hebbian(l)
            case .linear(var l):
                l.weight = value
                blocks[i].layer = .linear(l)
            case .convolution(var l):
                l.weight = value.reshaped(l.weight.shape)
                blocks[i].layer = .convolution(l)
            }
        case "layer.bias":
            if case .linear(var l) = blocks[i].layer {
                l.bias = value
                blocks[i].layer = .linear(l)
            } else if case .convolution(var l) = blocks[i].layer {
                l.bias = value
                blocks[i].layer = .convolution(l)
            }
        case "inputNorm.runningMean": blocks[i].inputNorm?.runningMean = value.scalars
        case "inputNorm.runningVariance": blocks[i].inputNorm?.runningVariance = value.scalars
        case "outputNorm.runningMean": blocks[i].outputNorm?.runningMean = value.scalars
        case "outputNorm.runningVariance": blocks[i].outputNorm?.runningVariance = value.scalars
        default: break
        }
    }
}
