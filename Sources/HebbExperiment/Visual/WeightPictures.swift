import HebbText
import HebbModel
import HebbTensor
import HebbVisual

/// Weight mosaics of a model's blocks: which tile shape a block's units get, and the picture.
public enum WeightPictures {
    /// The tile of one unit of `block` with `fanIn` weights: a convolution filter is
    /// (C/groups) × k × k; a fully connected unit is its input image (C × H × W), or a
    /// near-square rectangle when its input is a flat vector (after another fully connected block).
    public static func tileShape(of block: ResolvedBlock, fanIn: Int) -> TileShape {
        if let g = block.convolution, g.patchWidth == fanIn {
            return TileShape(channels: g.groupInputChannels, height: g.kernelSize, width: g.kernelSize)
        }
        let shape = block.inputShape
        if shape.count == 3, shape.reduce(1, *) == fanIn, shape[1] > 1 || shape[2] > 1 {
            return TileShape(channels: shape[0], height: shape[1], width: shape[2])
        }
        return TileShape.nearSquare(features: fanIn)
    }

    /// The stored weight of block `index`: (O, N), or [O, C/g, k, k] for a convolution.
    public static func weight(ofBlock index: Int, in model: Model) -> Tensor? {
        guard model.blocks.indices.contains(index) else { return nil }
        switch model.blocks[index].layer {
        case .hebbian(let layer): return layer.weight
        case .linear(let layer): return layer.weight
        case .convolution(let layer): return layer.weight
        }
    }

    /// The mosaic of `weight` (first axis: units) as block `block` of a model.
    public static func mosaic(of weight: Tensor, block: ResolvedBlock) -> RasterImage {
        let filters = max(1, weight.shape.first ?? 1)
        let fanIn = weight.count / filters
        return WeightMosaic.render(weights: weight.scalars, filters: filters, shape: tileShape(of: block, fanIn: fanIn))
    }

    /// One line describing a mosaic, e.g. `B0 SOFT: 2000 UNITS OF 1X28X28`.
    public static func caption(of weight: Tensor, block index: Int, in model: ResolvedModel) -> String {
        let block = model.blocks[index]
        let filters = max(1, weight.shape.first ?? 1)
        let tile = tileShape(of: block, fanIn: weight.count / filters)
        let noun = block.convolution == nil ? "UNITS" : "FILTERS"
        return "B\(index) \(block.config.layer.kind.rawValue): \(filters) \(noun) OF \(tile.channels)X\(tile.height)X\(tile.width)"
    }
}
