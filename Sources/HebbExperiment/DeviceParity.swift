import HebbText
import HebbModel
import HebbRules
import HebbTensor

// Shapes: S samples, F features per sample (N, or C·H·W for a convolution), N fan-in, O units.

/// One epoch of a Hebbian block on seeded inputs, run twice: by the host code (`Block.forward`
/// in training mode with its input batch norm, `HebbianStep.computeDelta`, `HebbianDelta.apply`,
/// as `Trainer` does) and by `DeviceHebbianEpoch` on a backend; reports the relative differences
/// of the weights, radii and running statistics. `hebb cuda-check` runs it with CUDA; the tests
/// with `CPUBackend`.
public enum DeviceParity {
    /// A seeded problem.
    public struct Problem: Sendable {
        public var name: String
        public var rule: any LearningRule
        public var schedule: LearningRateSchedule
        /// Units O and fan-in N (a convolution's filters and patch width).
        public var units: Int, fanIn: Int, samples: Int, batchSize: Int
        public var lebesguePower: Float
        public var seed: UInt64 = 1
        /// The convolution's shape; nil for a fully connected layer.
        public var geometry: ConvolutionGeometry? = nil
        /// Whether the block normalises its input (affine-free BatchNorm2d, `operation: batchnorm2d`).
        public var inputNorm = false
        /// Standard deviation of the seeded Gaussian initial weights.
        public var weightScale: Float = 0.1

        /// SoftHebb `softkrotov`, t = 1/0.75, radius-adaptive rates (lr 0.045, power 0.5).
        public static func softHebb(units: Int = 256, fanIn: Int = 784, samples: Int = 2000, batchSize: Int = 100) -> Problem {
            Problem(
                name: "SoftHebb softkrotov", rule: SoftHebb(inverseTemperature: 1.0 / 0.75, antiHebbian: true),
                schedule: .radiusAdaptive(base: 0.045, power: 0.5), units: units, fanIn: fanIn, samples: samples,
                batchSize: batchSize, lebesguePower: 2)
        }

        /// Krotov–Hopfield p = 3, k = 7, Δ = 0.4, linear decay from 0.04 (KrotovMlpMNIST's rule).
        public static func krotov(units: Int = 2000, fanIn: Int = 784, samples: Int = 2000, batchSize: Int = 100) -> Problem {
            Problem(
                name: "Krotov-Hopfield p=3 k=7", rule: KrotovHopfield(rankingK: 7, antiHebbianStrength: 0.4),
                schedule: .linearDecay(base: 0.04, ratio: Double(batchSize) / Double(samples), epochs: 1), units: units,
                fanIn: fanIn, samples: samples, batchSize: batchSize, lebesguePower: 3)
        }

        /// Features per sample entering the block.
        var inputSize: Int { geometry?.inputSize ?? fanIn }

        /// The layer with weights `initial`.
        func layer(_ initial: Tensor) -> HebbianLayer { HebbianLayer(weight: initial, lebesguePower: lebesguePower, geometry: geometry) }

        /// A fresh input batch norm when the problem has one.
        var freshInputNorm: BatchNorm? { inputNorm ? BatchNorm(channels: geometry?.inputChannels ?? fanIn) : nil }

        /// Seeded features (S, F), uniform in [0, 1), and initial weights (O, N).
        func seededInputs(using rng: inout SeededGenerator) -> (features: Tensor, weights: Tensor) {
            let features = Tensor(shape: [samples, inputSize], scalars: (0..<(samples * inputSize)).map { _ in rng.nextUniform() })
            let weights = Tensor(shape: [units, fanIn], scalars: (0..<(units * fanIn)).map { _ in rng.nextGaussian() * weightScale })
            return (features, weights)
        }
    }

    /// What one comparison found.
    public struct Result: Sendable {
        /// max |W_device − W_host| / max |W_host| after the epoch.
        public var relativeError: Float
        /// The same for the radii ‖w_c‖_p.
        public var radiusError: Float
        /// The same for the input norm's running means and variances (0 without one).
        public var runningStatisticsError: Float
        public var hostSeconds: Double, deviceSeconds: Double
    }

    /// Runs `problem` on the host and on `backend` from the same seeded weights, inputs and order.
    public static func compare(_ problem: Problem, backend: any Backend) throws -> Result {
        var rng = SeededGenerator(seed: problem.seed)
        let (features, initial) = problem.seededInputs(using: &rng)
        let order = rng.permutation(problem.samples)

        var started = Date()
        let host = hostEpoch(problem, features: features, initial: initial, order: order)
        let hostSeconds = Date().timeIntervalSince(started)

        started = Date()
        let device = try DeviceHebbianEpoch(
            backend: backend, block: 0, layer: problem.layer(initial), inputNorm: problem.freshInputNorm, rule: DeviceRule(problem.rule)!,
            schedule: problem.schedule, features: features, batchSize: problem.batchSize)
        _ = try device.epoch(order: order, firstUpdate: 0)
        let (weights, radii, norm) = (try device.downloadWeights(), try device.downloadRadii(), try device.downloadInputNorm())
        let deviceSeconds = Date().timeIntervalSince(started)

        let statistics = { (norm: BatchNorm?) in norm.map { $0.runningMean + $0.runningVariance } ?? [] }
        return Result(
            relativeError: relativeDifference(weights.scalars, host.weights.scalars), radiusError: relativeDifference(radii, host.radii),
            runningStatisticsError: relativeDifference(statistics(norm), statistics(host.inputNorm)), hostSeconds: hostSeconds,
            deviceSeconds: deviceSeconds)
    }

    /// The host's result of one epoch.
    struct HostOutcome {
        var weights: Tensor
        var radii: [Float]
        var inputNorm: BatchNorm?
    }

    /// One epoch of the host code over `order`, batch by batch as `Trainer.run` does for an
    /// unsupervised phase training one block.
    static func hostEpoch(_ problem: Problem, features: Tensor, initial: Tensor, order: [Int]) -> HostOutcome {
        var block = Block(inputNorm: problem.freshInputNorm, dropout: nil, layer: .hebbian(problem.layer(initial)), activation: .identity, outputNorm: nil)
        var rng = SeededGenerator(seed: 0)  // the block draws nothing without dropout
        var radii = problem.layer(initial).radii
        var delta = Tensor.zeros(initial.shape)
        var tally = WinTally(units: problem.units)
        for (step, start) in stride(from: 0, to: order.count, by: problem.batchSize).enumerated() {
            let rows = order[start..<min(start + problem.batchSize, order.count)]
            var x = [Float]()
            x.reserveCapacity(rows.count * problem.inputSize)
            features.scalars.withUnsafeBufferPointer { f in for r in rows { x.append(contentsOf: f[(r * problem.inputSize)..<((r + 1) * problem.inputSize)]) } }
            let trace = block.forward(
                Tensor(shape: [rows.count, problem.inputSize], scalars: x), training: true, currentsOnly: true, positionRowsOnly: true, using: &rng)
            let maximum = HebbianStep.computeDelta(rule: problem.rule, trace: trace, layer: block.hebbianLayer!, into: &delta, tally: &tally)
            let rates = problem.schedule.rates(radii: radii, updateIndex: step)
            let power = problem.lebesguePower
            block.withHebbianLayer { layer in
                layer.updateWeights { radii = HebbianDelta.apply(raw: delta, maxAbsolute: maximum, rates: rates, to: &$0, lebesguePower: power) }
            }
        }
        return HostOutcome(weights: block.hebbianLayer!.weight, radii: radii, inputNorm: block.inputNorm)
    }

    /// max |a − b| / max |b| (0 for empty arrays).
    static func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "comparing \(a.count) values with \(b.count)")
        var (difference, scale): (Float, Float) = (0, 0)
        for i in 0..<a.count {
            difference = max(difference, abs(a[i] - b[i]))
            scale = max(scale, abs(b[i]))
        }
        return difference / max(scale, .leastNormalMagnitude)
    }
}

extension DeviceParity {
    /// The host backend, to run the device code path without a GPU.
    public static func cpuBackend() -> any Backend { CPUBackend() }
}

extension DeviceParity {
    /// Seconds of each of `epochs` device epochs of `problem` (seeded inputs, the whole set and the
    /// weights uploaded before the clock starts; each epoch ends with the radii downloaded, which
    /// waits for the device). The first epoch includes the driver's warm-up.
    public static func epochSeconds(_ problem: Problem, backend: any Backend, epochs: Int = 2) throws -> [Double] {
        var rng = SeededGenerator(seed: problem.seed)
        let (features, initial) = problem.seededInputs(using: &rng)
        let device = try DeviceHebbianEpoch(
            backend: backend, block: 0, layer: problem.layer(initial), inputNorm: problem.freshInputNorm, rule: DeviceRule(problem.rule)!,
            schedule: problem.schedule, features: features, batchSize: problem.batchSize)
        _ = try device.downloadRadii()
        var seconds: [Double] = []
        for epoch in 0..<epochs {
            let order = rng.permutation(problem.samples)
            let started = Date()
            _ = try device.epoch(order: order, firstUpdate: epoch * ((problem.samples + problem.batchSize - 1) / problem.batchSize))
            _ = try device.downloadRadii()
            seconds.append(Date().timeIntervalSince(started))
        }
        return seconds
    }
}
