import HebbModel
import HebbRules
import HebbTensor

extension DeviceParity.Problem {
    /// What `hebb cuda-check` compares: SoftHebb and Krotov–Hopfield fully connected on `samples`;
    /// 4SoftHebbCnnCIFAR's block 0 with `soft` on samples / 10 images (20 batches of 10 240
    /// competitions: many more than any fully connected batch); `softkrotov` and Krotov conv blocks
    /// on 16 small images (2 batches of 1152 competitions), few enough that no near tie decides
    /// their discontinuous winners differently (see `convolutionSoftHebb`).
    public static func checked(samples: Int) -> [DeviceParity.Problem] {
        [
            .softHebb(samples: samples), .krotov(samples: samples), .convolutionSoftHebb(samples: max(10, samples / 10), antiHebbian: false),
            .convolutionSoftHebb(channels: 3, size: 12, filters: 16, kernel: 3, padding: 1, samples: 16, batchSize: 8),
            .convolutionKrotov(channels: 3, size: 12, filters: 16, kernel: 3, padding: 1, samples: 16, batchSize: 8),
        ]
    }

    /// A SoftHebb conv block shaped as 4SoftHebbCnnCIFAR's block 0: affine-free BatchNorm2d at the
    /// input, 96 5×5 filters with reflect padding 2 over 3×32×32 images, t = 1, radius-adaptive
    /// rates (lr 0.08, power 0.5), batch 10; initial radii about 2.5. `antiHebbian` makes it
    /// `softkrotov` (the presets' rule), whose sign flip at the arg-max is discontinuous: a near tie
    /// that rounding decides differently (a 1e-7 relative change of the initial weights did so in
    /// 2 of 4 seeded 200-image epochs, about one competition in 3·10⁵) moves two filters by ~1e-3,
    /// so parity over a CIFAR-sized epoch is checked with `soft` (error ~4e-7 under the same change).
    public static func convolutionSoftHebb(
        channels: Int = 3, size: Int = 32, filters: Int = 96, kernel: Int = 5, padding: Int = 2, samples: Int = 200, batchSize: Int = 10,
        antiHebbian: Bool = true
    ) -> DeviceParity.Problem {
        convolution(
            name: "SoftHebb \(antiHebbian ? "softkrotov" : "soft") conv \(channels)x\(size)x\(size) c\(filters) k\(kernel)",
            rule: SoftHebb(inverseTemperature: 1, antiHebbian: antiHebbian),
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
