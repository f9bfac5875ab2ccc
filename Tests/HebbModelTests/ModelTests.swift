import HebbModel
import HebbTensor
import HebbTestSupport
import XCTest

/// `Model`'s named state: names, round trips through `load`, problem reports, partial loads, and
/// the `blocks.<i>.` prefix parser.
final class ModelTests: XCTestCase {
    /// Block 0: Hebbian (p = 3) with an output norm; block 1: BP linear with an input norm.
    /// A training forward moves the running statistics away from their defaults.
    private func makeModel(seed: UInt64) -> Model {
        var rng = SeededGenerator(seed: seed)
        let hebbian = HebbianLayer(weight: Tensor.normal([4, 6], using: &rng), lebesguePower: 3)
        let linear = Linear(inputFeatures: 4, outputFeatures: 3, using: &rng)
        var model = Model(blocks: [
            Block(
                inputNorm: nil, dropout: nil, layer: .hebbian(hebbian), activation: .triangle(power: 1),
                outputNorm: BatchNorm(channels: 4)),
            Block(
                inputNorm: BatchNorm(channels: 4), dropout: Dropout(probability: 0.5), layer: .linear(linear),
                activation: .identity, outputNorm: nil),
        ])
        var h = Tensor.normal([8, 6], mean: 1, using: &rng)
        for i in model.blocks.indices { h = model.blocks[i].forward(h, training: true, using: &rng).output }
        return model
    }

    func testNamedTensors_namesEveryWeightBiasAndRunningStatistic() {
        let names = Set(makeModel(seed: 1).namedTensors().keys)
        XCTAssertEqual(
            names,
            [
                "blocks.0.layer.weight", "blocks.0.outputNorm.runningMean", "blocks.0.outputNorm.runningVariance",
                "blocks.1.layer.weight", "blocks.1.layer.bias", "blocks.1.inputNorm.runningMean",
                "blocks.1.inputNorm.runningVariance",
            ])
    }

    func testNamedTensors_holdTheCurrentValuesWithTheirShapes() {
        let model = makeModel(seed: 1)
        let tensors = model.namedTensors()
        guard case .hebbian(let hebbian) = model.blocks[0].layer, case .linear(let linear) = model.blocks[1].layer
        else { return XCTFail("unexpected layers") }
        XCTAssertEqual(tensors["blocks.0.layer.weight"], hebbian.weight, "stored W, not ŵ")
        XCTAssertEqual(tensors["blocks.1.layer.weight"], linear.weight)
        XCTAssertEqual(tensors["blocks.1.layer.bias"], linear.bias)
        XCTAssertEqual(tensors["blocks.1.inputNorm.runningMean"]?.shape, [4])
        XCTAssertEqual(tensors["blocks.1.inputNorm.runningMean"]?.scalars, model.blocks[1].inputNorm?.runningMean)
        XCTAssertEqual(tensors["blocks.0.outputNorm.runningVariance"]?.scalars, model.blocks[0].outputNorm?.runningVariance)
        XCTAssertNotEqual(model.blocks[0].outputNorm?.runningVariance, [1, 1, 1, 1], "fixture should have trained stats")
    }

    func testLoad_allBlocks_roundTripRestoresEquality() {
        let source = makeModel(seed: 1)
        var target = makeModel(seed: 2)
        XCTAssertNotEqual(target, source)
        XCTAssertEqual(target.load(source.namedTensors(), blockIndices: [0, 1]), [])
        XCTAssertEqual(target, source)
        guard case .hebbian(let loaded) = target.blocks[0].layer, case .hebbian(let original) = source.blocks[0].layer
        else { return XCTFail("block 0 must stay Hebbian") }
        XCTAssertEqual(loaded.effectiveWeight, original.effectiveWeight, "ŵ must be refreshed on load")
    }

    func testLoad_missingName_isReportedAndTheRestStillLoads() {
        let source = makeModel(seed: 1)
        let original = makeModel(seed: 2)
        var target = original
        var tensors = source.namedTensors()
        tensors.removeValue(forKey: "blocks.1.layer.bias")
        XCTAssertEqual(target.load(tensors, blockIndices: [0, 1]), ["blocks.1.layer.bias missing"])
        guard case .linear(let loaded) = target.blocks[1].layer, case .linear(let before) = original.blocks[1].layer,
            case .linear(let wanted) = source.blocks[1].layer
        else { return XCTFail("block 1 must stay BP") }
        XCTAssertEqual(loaded.bias, before.bias)
        XCTAssertEqual(loaded.weight, wanted.weight)
        XCTAssertEqual(target.blocks[0], source.blocks[0])
    }

    func testLoad_shapeMismatch_isReportedAndThatTensorIsNotLoaded() {
        let source = makeModel(seed: 1)
        let original = makeModel(seed: 2)
        var target = original
        var tensors = source.namedTensors()
        tensors["blocks.0.layer.weight"] = Tensor.zeros([6, 4])
        tensors["blocks.1.inputNorm.runningMean"] = Tensor.zeros([5])
        let problems = target.load(tensors, blockIndices: [0, 1])
        XCTAssertEqual(problems.count, 2, "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("blocks.0.layer.weight") && $0.contains("[6, 4]") && $0.contains("[4, 6]") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("blocks.1.inputNorm.runningMean") && $0.contains("[5]") }, "\(problems)")
        guard case .hebbian(let kept) = target.blocks[0].layer, case .hebbian(let before) = original.blocks[0].layer
        else { return XCTFail("block 0 must stay Hebbian") }
        XCTAssertEqual(kept, before)
        XCTAssertEqual(target.blocks[1].inputNorm?.runningMean, original.blocks[1].inputNorm?.runningMean)
        XCTAssertEqual(target.blocks[1].inputNorm?.runningVariance, source.blocks[1].inputNorm?.runningVariance)
        XCTAssertEqual(target.blocks[0].outputNorm, source.blocks[0].outputNorm)
    }

    func testLoad_subsetOfBlocks_leavesTheOtherBlocksUntouched() {
        let source = makeModel(seed: 1)
        let original = makeModel(seed: 2)
        var target = original
        XCTAssertEqual(target.load(source.namedTensors(), blockIndices: [1]), [])
        XCTAssertEqual(target.blocks[0], original.blocks[0])
        XCTAssertEqual(target.blocks[1], source.blocks[1])
    }

    func testLoad_subsetOfBlocks_ignoresNamesOfOtherBlocks() {
        let source = makeModel(seed: 1)
        var target = makeModel(seed: 2)
        let onlyBlock1 = source.namedTensors().filter { $0.key.hasPrefix("blocks.1.") }
        XCTAssertEqual(target.load(onlyBlock1, blockIndices: [1]), [])
        XCTAssertEqual(target.blocks[1], source.blocks[1])
        // Asking for block 0 too reports all of block 0's names as missing.
        XCTAssertEqual(
            target.load(onlyBlock1, blockIndices: [0, 1]),
            [
                "blocks.0.layer.weight missing", "blocks.0.outputNorm.runningMean missing",
                "blocks.0.outputNorm.runningVariance missing",
            ])
    }

    func testLoad_emptyIndexSet_changesNothing() {
        let original = makeModel(seed: 2)
        var target = original
        XCTAssertEqual(target.load(makeModel(seed: 1).namedTensors(), blockIndices: []), [])
        XCTAssertEqual(target, original)
    }

    func testLoad_extraUnknownNames_areIgnored() {
        let source = makeModel(seed: 1)
        var target = makeModel(seed: 2)
        var tensors = source.namedTensors()
        tensors["blocks.0.layer.bias"] = Tensor.zeros([4])
        tensors["blocks.7.layer.weight"] = Tensor.zeros([1, 1])
        XCTAssertEqual(target.load(tensors, blockIndices: [0, 1]), [])
        XCTAssertEqual(target, source)
    }

    func testBlockIndex_exactPrefix() {
        XCTAssertEqual(Model.blockIndex(of: "blocks.1.x"), 1)
        XCTAssertEqual(Model.blockIndex(of: "blocks.10.x"), 10)
        XCTAssertEqual(Model.blockIndex(of: "blocks.0.layer.weight"), 0)
        XCTAssertEqual(Model.blockIndex(of: "blocks.1.inputNorm.runningMean"), 1)
        XCTAssertNil(Model.blockIndex(of: "blockss.1"))
        XCTAssertNil(Model.blockIndex(of: "blockss.1.x"))
        XCTAssertNil(Model.blockIndex(of: "xblocks.1.x"))
        XCTAssertNil(Model.blockIndex(of: "Blocks.1.x"))
        XCTAssertNil(Model.blockIndex(of: "blocks.x.y"))
        XCTAssertNil(Model.blockIndex(of: "blocks"))
        XCTAssertNil(Model.blockIndex(of: ""))
    }

    func testBlockIndex_malformedSegments_areRejected() {
        // "Exact `blocks.<i>.` prefix": empty segments, signs and leading dots are not that prefix.
        XCTAssertNil(Model.blockIndex(of: "blocks..1.x"))
        XCTAssertNil(Model.blockIndex(of: ".blocks.1.x"))
        XCTAssertNil(Model.blockIndex(of: "blocks.+1.x"))
        XCTAssertNil(Model.blockIndex(of: "blocks.-1.x"))
    }
}
