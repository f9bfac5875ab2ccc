import HebbModel
import HebbRules
import HebbTensor

extension DeviceParity.Problem {
    /// A SoftHebb conv block shaped as 4SoftHebbCnnCIFAR's block 0: affine-free BatchNorm2d at the
    /// input, 96 5×5 filters with reflect padding 2 over 3×32×32 images, `softkrotov` t = 1,
    /// radius-adaptive rates (lr 0.08, power 0.5), batch 10; initial radii about 2.5.
    public static func convolutionSoftHebb(
        channels: Int = 3, size: Int = 32, filters: Int = 96, kernel: Int = 5, padding: Int = 2, samples: Int = 200, batchSize: Int = 10
    ) -> DeviceParity.Problem {
        convolution(
            name: "SoftHebb softkrotov conv \(channels)x\(size)x\(size) c\(filters) k\(kernel)", rule: SoftHebb(inverseTemperature: 1, antiHebbian: true),
            schedule: .radiusAdaptive(base: 0.08, power: 0.5), lebesguePower: 2,
            geometry: ConvolutionGeometry(
                inputChannels: channels, inputHeight: size, inputWidth: size, outputChannels: filters, kernelSize: kernel, padding: padding),
            samples: samples, batchSize: batchSize)
    }

    /// A Krotov–Hopfield (`hardkrotov`) conv block with an input BatchNorm2d: p = 3, k = 2,
    /// Δ = 0.4, linear decay from 0.04 over the epoch, reflect padding.
    public static func convolutionKrotov(
        channels: Int = 3, size: Int = 32, filters: Int = 96, kernel: Int = 5, padding: Int = 2, samples: Int = 200, batchSize: Int = 10
    ) -> DeviceParity.Problem {
        convolution(
            name: "Krotov-Hopfield conv p=3 k=2 \(channels)x\(size)x\(size) c\(filters) k\(kernel)",
            rule: KrotovHopfield(rankingK: 2, antiHebbianStrength: 0.4),
            schedule: .linearDecay(base: 0.04, ratio: Double(batchSize) / Double(samples), epochs: 1), lebesguePower: 3,
            geometry: ConvolutionGeometry(
                inputChannels: channels, inputHeight: size, inputWidth: size, outputChannels: filters, kernelSize: kernel, padding: padding),
            samples: samples, batchSize: batchSize)
    }

    /// A conv problem with an input norm and initial radii about 2.5.
    private static func convolution(
        name: String, rule: any LearningRule, schedule: LearningRateSchedule, lebesguePower: Float, geometry: ConvolutionGeometry,
        samples: Int, batchSize: Int
    ) -> DeviceParity.Problem {
        let fanIn = geometry.patchWidth
        return DeviceParity.Problem(
            name: name, rule: rule, schedule: schedule, units: geometry.outputChannels, fanIn: fanIn, samples: samples, batchSize: batchSize,
            lebesguePower: lebesguePower, geometry: geometry, inputNorm: true, weightScale: 2.5 / Float(fanIn).squareRoot())
    }
}
