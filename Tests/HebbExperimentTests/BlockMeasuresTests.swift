import Foundation
import HebbModel
import HebbRules
import HebbTensor
import XCTest

@testable import HebbExperiment

/// The per-epoch measures of a Hebbian block (spec §4.5; quirks 15, 16, 18 fixed): statistics
/// against values worked out by hand, and the win tally of each rule's signal.
final class BlockMeasuresTests: XCTestCase {
    /// Two units of two inputs: w0 = (3, 4) (radius 5), w1 = (0.6, 0.8) (radius 1).
    let layer = HebbianLayer(weight: Tensor(shape: [2, 2], scalars: [3, 4, 0.6, 0.8]), lebesguePower: 2)

    func testStatistics_matchHandComputedValues() {
        let m = BlockMeasures(block: 0, layer: layer, radii: layer.radii, rates: [0.1, 0.2], tally: nil)
        XCTAssertEqual(m.convergence, 2, accuracy: 1e-5)  // (|5 − 1| + |1 − 1|) / 2
        XCTAssertEqual(m.r1, 1)
        XCTAssertEqual(m.meanWeight, (3.5 + 0.7) / 2, accuracy: 1e-5)
        // Unbiased std of {3, 4, 0.6, 0.8}: mean 2.1, Σ(x − m)² = 0.81 + 3.61 + 2.25 + 1.69 = 8.36.
        XCTAssertEqual(m.weightStd, Float((8.36 / 3).squareRoot()), accuracy: 1e-5)
        XCTAssertEqual(m.meanRadius, 3, accuracy: 1e-5)
        XCTAssertEqual(m.radiusStd, Float(8).squareRoot(), accuracy: 1e-5)  // √((4 + 4) / 1)
        XCTAssertEqual(m.meanDeviation, 2, accuracy: 1e-5)
        XCTAssertEqual(m.maxDeviation, 2, accuracy: 1e-5)
        XCTAssertEqual(m.neurons.learningRates, [0.1, 0.2])
        XCTAssertNil(m.hebbianShare)
        XCTAssertTrue(m.info.hasPrefix("b0 MW:2.100e+00/SW:1.669e+00/MR:3.000e+00/SR:2.828e+00/MeD:2.000e+00/MaD:2.000e+00"), m.info)
    }

    func testR1_usesTheConvThresholdForConvLayers() {
        // Radii 1.008 and 1.002: within 0.01 (conv) both count; within 0.005 (linear) one does.
        let radii: [Float] = [1.008, 1.002]
        let linear = BlockMeasures(block: 0, layer: layer, radii: radii, rates: [0.1], tally: nil)
        XCTAssertEqual(linear.r1, 1)
        XCTAssertEqual(linear.neurons.learningRates, [0.1, 0.1], "a scalar rate fills every unit")
        let geometry = ConvolutionGeometry(inputChannels: 1, inputHeight: 3, inputWidth: 3, outputChannels: 2, kernelSize: 1)
        let conv = HebbianLayer(weight: Tensor(shape: [2, 1], scalars: [1, 1]), lebesguePower: 2, geometry: geometry)
        let measured = BlockMeasures(block: 1, layer: conv, radii: radii, rates: [0.1], tally: nil)
        XCTAssertEqual(measured.r1, 2)
        XCTAssertTrue(measured.convolutional)
    }

    func testTally_softKrotov_hebbianShareIsTheWinnersMeanSoftmax() {
        let currents = Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 2, 0])
        let rule = SoftHebb(inverseTemperature: 1, antiHebbian: true)
        var tally = WinTally(units: 3)
        tally.add(rule.postSynapticSignal(currents: currents))
        let e = Float(M_E)
        let winner0 = e / (e + 2), winner1 = e * e / (e * e + 2)
        XCTAssertEqual(tally.hebbianShare!, (winner0 + winner1) / 2, accuracy: 1e-5)
        XCTAssertEqual(tally.hebbianMass[0], Double(winner0), accuracy: 1e-5)
        XCTAssertEqual(tally.hebbianMass[1], Double(winner1), accuracy: 1e-5)
        XCTAssertEqual(tally.hebbianMass[2], 0)
        XCTAssertEqual(tally.antiHebbianMass[2], Double(1 / (e + 2) + 1 / (e * e + 2)), accuracy: 1e-5)
    }

    func testTally_krotov_countsTopAndKthRankedUnits() {
        // Row 0 ranks units 2 > 0 > 1, row 1 ranks 1 > 2 > 0; k = 2 punishes the second.
        let currents = Tensor(shape: [2, 3], scalars: [0.5, 0.1, 0.9, 0.0, 0.8, 0.3])
        var tally = WinTally(units: 3)
        tally.add(KrotovHopfield(rankingK: 2, antiHebbianStrength: 0.4).postSynapticSignal(currents: currents))
        XCTAssertEqual(tally.hebbianMass, [0, 1, 1])
        XCTAssertEqual(tally.antiHebbianMass[0], 0.4, accuracy: 1e-6)
        XCTAssertEqual(tally.antiHebbianMass[2], 0.4, accuracy: 1e-6)
        XCTAssertEqual(tally.hebbianShare!, 1 / 1.4, accuracy: 1e-6)
        let m = BlockMeasures(block: 0, layer: HebbianLayer(weight: .zeros([3, 2]), lebesguePower: 2), radii: [0, 0, 0], rates: [1], tally: tally)
        XCTAssertEqual(m.neurons.winPercent, [0, 50, 50])
        XCTAssertEqual(m.neurons.antiHebbianPercent!, [50, 0, 50])
        XCTAssertEqual(m.antiHebbianPercent!, 100 * 0.4 / 1.4, accuracy: 1e-4)
        XCTAssertTrue(m.info.hasSuffix(String(format: "/MW:%.3f/MAW:%.3f", 1 / 1.4, 0.4 / 1.4)), m.info)
    }

    func testTally_unitOffsetPlacesGroupsSideBySide() {
        var tally = WinTally(units: 4)
        tally.add(HardWinnerTakeAll().postSynapticSignal(currents: Tensor(shape: [1, 2], scalars: [0, 1])), unitOffset: 2)
        XCTAssertEqual(tally.hebbianMass, [0, 0, 0, 1])
        XCTAssertEqual(tally.hebbianShare, 1)
        XCTAssertNil(WinTally(units: 2).hebbianShare)
    }

    func testUnitConvergenceAndActivationStatistics() {
        var tally = WinTally(units: 2)
        tally.add(currents: Tensor(shape: [2, 2], scalars: [1, -2, 3, 0]))
        let m = BlockMeasures(block: 0, layer: layer, radii: layer.radii, rates: [0.1], tally: tally)
        XCTAssertEqual(m.unitConvergence, 0.5, "Σw² = 25 and 1: one unit under 1.1")
        XCTAssertEqual(m.activationMean!, 0.5, accuracy: 1e-6)
        XCTAssertEqual(m.activationStd!, Float(3.25).squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(m.positiveActivations!, 1, accuracy: 1e-6, "two positive currents in two competitions")
        XCTAssertNil(BlockMeasures(block: 0, layer: layer, radii: layer.radii, rates: [0.1], tally: nil).activationMean)
    }

    func testNeuronTable_formatsTheFirstUnits() {
        let table = NeuronTable(learningRates: [0.01, 0.02, 0.03], radii: [1, 2, 3], winPercent: [10, 20, 70], antiHebbianPercent: nil)
        let lines = table.formatted(first: 2).split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("|unit     |0        |1        |"))
        XCTAssertTrue(lines[2].contains("2.00"))
        XCTAssertFalse(lines[3].contains("70.00"), "only the first two units")
    }
}
