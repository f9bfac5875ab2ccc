// Geometry of convolution and pooling layers: output sizes, validity checks (`problem`) and the
// per-axis index tables that let the fast kernels run without border branches.

/// How a convolution pads its input (SoftHebb: every conv uses reflect).
///
/// `reflect` is PyTorch's `'reflect'`: the edge pixel is not repeated, so padded index −1 reads
/// index 1 and index H reads H − 2.
public enum PaddingMode: String, Sendable, Codable, Equatable {
    /// Padded pixels are 0.
    case zeros
    /// Padded pixels mirror the image about its edge pixel (edge not repeated).
    case reflect
}

/// Shape of a 2-D convolution over NCHW inputs flattened per sample to rows (B, C·H·W).
///
/// Sizes follow PyTorch's `Conv2d`: with kernel k, stride s, padding p and dilation d,
/// `outputHeight = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1` (and the same for the width). Filters are square.
public struct ConvolutionGeometry: Sendable, Equatable, Codable {
    /// Input channels C.
    public var inputChannels: Int
    /// Input height H.
    public var inputHeight: Int
    /// Input width W.
    public var inputWidth: Int
    /// Output channels (filters) C_out.
    public var outputChannels: Int
    /// Side k of the square kernel.
    public var kernelSize: Int
    /// Step s between neighbouring output positions.
    public var stride: Int
    /// Pixels p added on each of the four sides.
    public var padding: Int
    /// Spacing d between kernel taps.
    public var dilation: Int
    /// Number of channel groups g; group i sees input channels [i·C/g, (i+1)·C/g).
    public var groups: Int
    /// How padded pixels are filled.
    public var paddingMode: PaddingMode

    /// A geometry; check `problem` before using it with the fast kernels.
    public init(
        inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int,
        kernelSize: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1,
        paddingMode: PaddingMode = .reflect
    ) {
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.paddingMode = paddingMode
    }

    /// `⌊(H + 2p − d(k−1) − 1)/s⌋ + 1`, or 0 when the dilated kernel does not fit.
    public var outputHeight: Int { outputExtent(inputExtent: inputHeight) }
    /// `⌊(W + 2p − d(k−1) − 1)/s⌋ + 1`, or 0 when the dilated kernel does not fit.
    public var outputWidth: Int { outputExtent(inputExtent: inputWidth) }
    /// Output positions per sample and channel, P = outputHeight·outputWidth.
    public var positions: Int { outputHeight * outputWidth }
    /// Input channels seen by one filter, C/g.
    public var groupInputChannels: Int { inputChannels / max(groups, 1) }
    /// Filters per group, C_out/g.
    public var groupOutputChannels: Int { outputChannels / max(groups, 1) }
    /// Fan-in of one filter, (C/g)·k·k: the width of one group's block of patch columns.
    public var patchWidth: Int { groupInputChannels * kernelSize * kernelSize }
    /// Elements of one input sample, C·H·W.
    public var inputSize: Int { inputChannels * inputHeight * inputWidth }

    /// nil when the geometry is usable; otherwise a one-line reason.
    public var problem: String? {
        let positive: [(String, Int)] = [
            ("input channels", inputChannels), ("input height", inputHeight),
            ("input width", inputWidth), ("output channels", outputChannels),
            ("kernel size", kernelSize), ("stride", stride), ("dilation", dilation),
            ("groups", groups),
        ]
        for (name, value) in positive where value < 1 {
            return "\(name) must be positive, got \(value)"
        }
        if padding < 0 { return "padding must be non-negative, got \(padding)" }
        if inputChannels % groups != 0 {
            return "input channels \(inputChannels) are not divisible by groups \(groups)"
        }
        if outputChannels % groups != 0 {
            return "output channels \(outputChannels) are not divisible by groups \(groups)"
        }
        if paddingMode == .reflect && (padding >= inputHeight || padding >= inputWidth) {
            return "reflect padding \(padding) must be less than the input size "
                + "\(inputHeight)×\(inputWidth)"
        }
        if outputHeight < 1 || outputWidth < 1 {
            return "output size \(outputHeight)×\(outputWidth) is empty: kernel \(kernelSize) "
                + "with dilation \(dilation) does not fit \(inputHeight)×\(inputWidth) padded by \(padding)"
        }
        return nil
    }

    private func outputExtent(inputExtent: Int) -> Int {
        let span = dilation * (kernelSize - 1) + 1
        let room = inputExtent + 2 * padding - span
        guard stride > 0, room >= 0 else { return 0 }
        return room / stride + 1
    }

    /// For each output coordinate o along one axis and tap t, the source coordinate read by
    /// `o·s + t·d − p`, after reflection; −1 where the tap lands on zero padding.
    ///
    /// Entry `o·k + t`. The table lets the unfold inner loops copy without branching on borders.
    func sourceTable(inputExtent: Int, outputExtent: Int) -> [Int32] {
        var table = [Int32](repeating: -1, count: outputExtent * kernelSize)
        for o in 0..<outputExtent {
            for t in 0..<kernelSize {
                var source = o * stride + t * dilation - padding
                if source < 0 || source >= inputExtent {
                    guard paddingMode == .reflect else { continue }
                    source = source < 0 ? -source : 2 * (inputExtent - 1) - source
                    // Only reachable for invalid geometry (padding ≥ extent); keep memory safe.
                    guard source >= 0 && source < inputExtent else { continue }
                }
                table[o * kernelSize + t] = Int32(source)
            }
        }
        return table
    }
}

/// Which reduction a pooling window applies.
public enum PoolKind: String, Sendable, Codable, Equatable {
    /// Largest value in the window (padding counts as −∞).
    case max
    /// Window sum divided by k·k (padding counts as 0 and is included in the divisor).
    case average
}

/// SoftHebb's pools (spec softhebb.md §1.6): MaxPool2d pads with −∞, AvgPool2d counts padded
/// zeros in the divisor (count_include_pad = true), no ceil mode.
public struct PoolGeometry: Sendable, Equatable, Codable {
    /// Max or average.
    public var kind: PoolKind
    /// Side k of the square window.
    public var kernelSize: Int
    /// Step s between windows.
    public var stride: Int
    /// Padding p on each of the four sides.
    public var padding: Int
    /// Channels C (pooled independently).
    public var channels: Int
    /// Input height H.
    public var inputHeight: Int
    /// Input width W.
    public var inputWidth: Int

    /// A pool geometry; check `problem` before pooling.
    public init(
        kind: PoolKind, kernelSize: Int, stride: Int, padding: Int, channels: Int,
        inputHeight: Int, inputWidth: Int
    ) {
        self.kind = kind
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.channels = channels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
    }

    /// `⌊(H + 2p − k)/s⌋ + 1`, or 0 when the window does not fit.
    public var outputHeight: Int { outputExtent(inputExtent: inputHeight) }
    /// `⌊(W + 2p − k)/s⌋ + 1`, or 0 when the window does not fit.
    public var outputWidth: Int { outputExtent(inputExtent: inputWidth) }

    /// nil when the geometry is usable; otherwise a one-line reason.
    public var problem: String? {
        let positive: [(String, Int)] = [
            ("kernel size", kernelSize), ("stride", stride), ("channels", channels),
            ("input height", inputHeight), ("input width", inputWidth),
        ]
        for (name, value) in positive where value < 1 {
            return "pool \(name) must be positive, got \(value)"
        }
        if padding < 0 { return "pool padding must be non-negative, got \(padding)" }
        if padding > kernelSize / 2 {
            return "pool padding \(padding) must be at most half the kernel size \(kernelSize)"
        }
        if outputHeight < 1 || outputWidth < 1 {
            return "pool output \(outputHeight)×\(outputWidth) is empty: kernel \(kernelSize) "
                + "does not fit \(inputHeight)×\(inputWidth) padded by \(padding)"
        }
        return nil
    }

    private func outputExtent(inputExtent: Int) -> Int {
        let room = inputExtent + 2 * padding - kernelSize
        guard stride > 0, room >= 0 else { return 0 }
        return room / stride + 1
    }

    /// For each output coordinate o along one axis, the in-image part [start, end) of its window
    /// `[o·s − p, o·s − p + k)`, as entries 2o and 2o + 1; empty when the window is all padding.
    func windowTable(inputExtent: Int, outputExtent: Int) -> [Int] {
        var table = [Int](repeating: 0, count: 2 * outputExtent)
        for o in 0..<outputExtent {
            let first = o * stride - padding
            let start = Swift.max(first, 0)
            table[2 * o] = start
            table[2 * o + 1] = Swift.max(Swift.min(first + kernelSize, inputExtent), start)
        }
        return table
    }
}
