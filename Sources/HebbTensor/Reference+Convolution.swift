// Direct convolution and pooling oracles: they build the padded image explicitly and loop over
// every index, in Double, so they can be read against the PyTorch definitions line by line.

extension Reference {
    /// The source coordinate PyTorch's padding reads at coordinate `i` of an axis of `extent`
    /// pixels: i itself inside, its mirror about the edge pixel for reflect, nil for zeros.
    public static func paddedSource(_ i: Int, extent: Int, mode: PaddingMode) -> Int? {
        if i >= 0 && i < extent { return i }
        guard mode == .reflect else { return nil }
        return i < 0 ? -i : 2 * (extent - 1) - i
    }

    /// Pads every (H, W) plane of `x` (B, C·H·W) by `padding` on all sides with `value` (zeros
    /// mode) or by reflection: result (B, C·(H+2p)·(W+2p)).
    public static func padded(
        _ x: Tensor, channels: Int, height: Int, width: Int, padding: Int, mode: PaddingMode,
        value: Float = 0
    ) -> Tensor {
        let (paddedHeight, paddedWidth) = (height + 2 * padding, width + 2 * padding)
        var out = Tensor(repeating: value, shape: [x.rows, channels * paddedHeight * paddedWidth])
        for b in 0..<x.rows {
            for c in 0..<channels {
                for y in 0..<paddedHeight {
                    for z in 0..<paddedWidth {
                        guard let sy = paddedSource(y - padding, extent: height, mode: mode),
                            let sx = paddedSource(z - padding, extent: width, mode: mode)
                        else { continue }
                        out[b, (c * paddedHeight + y) * paddedWidth + z] =
                            x[b, (c * height + sy) * width + sx]
                    }
                }
            }
        }
        return out
    }

    /// Direct grouped 2-D convolution, PyTorch's `Conv2d` without bias: x (B, C·H·W),
    /// weight (C_out, (C/g)·k·k) → (B, C_out·P), summing in Double over the padded image.
    public static func convolution2D(x: Tensor, weight: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
        let k = g.kernelSize
        let image = padded(
            x, channels: g.inputChannels, height: g.inputHeight, width: g.inputWidth,
            padding: g.padding, mode: g.paddingMode)
        let (paddedHeight, paddedWidth) = (g.inputHeight + 2 * g.padding, g.inputWidth + 2 * g.padding)
        var out = Tensor.zeros([x.rows, g.outputChannels * g.positions])
        for b in 0..<x.rows {
            for o in 0..<g.outputChannels {
                let group = o / g.groupOutputChannels
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        var total = 0.0
                        for i in 0..<g.groupInputChannels {
                            let c = group * g.groupInputChannels + i
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let y = oy * g.stride + ky * g.dilation
                                    let z = ox * g.stride + kx * g.dilation
                                    let pixel = image[b, (c * paddedHeight + y) * paddedWidth + z]
                                    total += Double(pixel) * Double(weight[o, (i * k + ky) * k + kx])
                                }
                            }
                        }
                        out[b, o * g.positions + oy * g.outputWidth + ox] = Float(total)
                    }
                }
            }
        }
        return out
    }

    /// Direct im2col: patch row `b·P + oy·outW + ox`, column `c·k·k + ky·k + kx`, read from the
    /// explicitly padded image.
    public static func unfold(_ x: Tensor, geometry g: ConvolutionGeometry) -> Tensor {
        let k = g.kernelSize
        let image = padded(
            x, channels: g.inputChannels, height: g.inputHeight, width: g.inputWidth,
            padding: g.padding, mode: g.paddingMode)
        let (paddedHeight, paddedWidth) = (g.inputHeight + 2 * g.padding, g.inputWidth + 2 * g.padding)
        var out = Tensor.zeros([x.rows * g.positions, g.inputChannels * k * k])
        for b in 0..<x.rows {
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    for c in 0..<g.inputChannels {
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let y = oy * g.stride + ky * g.dilation
                                let z = ox * g.stride + kx * g.dilation
                                out[b * g.positions + oy * g.outputWidth + ox, (c * k + ky) * k + kx] =
                                    image[b, (c * paddedHeight + y) * paddedWidth + z]
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Direct pooling: pads with −∞ (max) or 0 (average), then takes each window's max or its
    /// sum divided by k·k (count_include_pad = true). x (B, C·H·W) → (B, C·outH·outW).
    public static func pool2D(_ x: Tensor, geometry g: PoolGeometry) -> Tensor {
        let image = padded(
            x, channels: g.channels, height: g.inputHeight, width: g.inputWidth,
            padding: g.padding, mode: .zeros, value: g.kind == .max ? -.infinity : 0)
        let (paddedHeight, paddedWidth) = (g.inputHeight + 2 * g.padding, g.inputWidth + 2 * g.padding)
        let (k, outputPlane) = (g.kernelSize, g.outputHeight * g.outputWidth)
        var out = Tensor.zeros([x.rows, g.channels * outputPlane])
        for b in 0..<x.rows {
            for c in 0..<g.channels {
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        let window = (0..<(k * k)).map { t in
                            let (y, z) = (oy * g.stride + t / k, ox * g.stride + t % k)
                            return image[b, (c * paddedHeight + y) * paddedWidth + z]
                        }
                        let value =
                            g.kind == .max
                            ? (window.max() ?? -.infinity)
                            : Float(window.reduce(0.0) { $0 + Double($1) } / Double(k * k))
                        out[b, c * outputPlane + oy * g.outputWidth + ox] = value
                    }
                }
            }
        }
        return out
    }

    /// Direct pooling gradient with respect to x for output gradient `dy`: max sends each
    /// output's gradient to the first maximum of its window in scan order (ky, kx); average
    /// sends `dy/(k·k)` to every in-image pixel of the window.
    public static func poolBackward2D(_ dy: Tensor, x: Tensor, geometry g: PoolGeometry) -> Tensor {
        let (height, width, k) = (g.inputHeight, g.inputWidth, g.kernelSize)
        let outputPlane = g.outputHeight * g.outputWidth
        var gradient = [Double](repeating: 0, count: x.count)
        for b in 0..<x.rows {
            for c in 0..<g.channels {
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        let upstream = Double(dy[b, c * outputPlane + oy * g.outputWidth + ox])
                        // In-image pixels of the window, in scan order, as flat indices into x.
                        var pixels: [Int] = []
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let (y, z) = (oy * g.stride + ky - g.padding, ox * g.stride + kx - g.padding)
                                guard y >= 0 && y < height && z >= 0 && z < width else { continue }
                                pixels.append(b * x.columns + (c * height + y) * width + z)
                            }
                        }
                        if g.kind == .average {
                            for p in pixels { gradient[p] += upstream / Double(k * k) }
                        } else if let first = pixels.first {
                            let winner = pixels.reduce(first) { x.scalars[$1] > x.scalars[$0] ? $1 : $0 }
                            gradient[winner] += upstream
                        }
                    }
                }
            }
        }
        return Tensor(shape: x.shape, scalars: gradient.map { Float($0) })
    }
}
