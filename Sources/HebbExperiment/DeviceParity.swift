import HebbText
import HebbModel
import HebbRules
import HebbTensor

// Shapes: S samples, N fan-in, O units.

/// One epoch of a fully connected Hebbian layer on seeded inputs, run twice: by the host code
/// (`HebbianLayer.forward`, the rule's signal, `HebbianDelta.compute/apply`, as `Trainer` does)
/// and by `DeviceHebbianEpoch` on a backend; reports the weights' relative difference.
/// `hebb cuda-check` runs it with CUDA; the tests with `CPUBackend`.
public enum DeviceParity {
    /// A seeded problem.
    public struct Problem: Sendable {
        public var name: String
        public var rule: any LearningRule
        public var schedule: LearningRateSchedule
        public var units: Int, fanIn: Int, samples: Int, batchSize: Int
        public var lebesguePower: Float
        public var seed: UInt64 = 1

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
    }

    /// What one comparison found.
    public struct Result: Sendable {
        /// max |W_device − W_host| / max |W_host| after the epoch.
        public var relativeError: Float
        public var hostSeconds: Double, deviceSeconds: Double
    }

    /// Runs `problem` on the host and on `backend` from the same seeded weights, inputs and order.
    public static func compare(_ problem: Problem, backend: any Backend) throws -> Result {
        var rng = SeededGenerator(seed: problem.seed)
        let features = Tensor(shape: [problem.samples, problem.fanIn], scalars: (0..<(problem.samples * problem.fanIn)).map { _ in rng.nextUniform() })
        let initial = Tensor(shape: [problem.units, problem.fanIn], scalars: (0..<(problem.units * problem.fanIn)).map { _ in rng.nextGaussian() * 0.1 })
        let order = rng.permutation(problem.samples)
        var layer = HebbianLayer(weight: initial, lebesguePower: problem.lebesguePower)

        var started = Date()
        var radii = layer.radii
        var delta = Tensor.zeros(initial.shape)
        for (step, start) in stride(from: 0, to: order.count, by: problem.batchSize).enumerated() {
            let rows = Array(order[start..<min(start + problem.batchSize, order.count)])
            var x = [Float]()
            x.reserveCapacity(rows.count * problem.fanIn)
            features.scalars.withUnsafeBufferPointer { f in for r in rows { x.append(contentsOf: f[(r * problem.fanIn)..<((r + 1) * problem.fanIn)]) } }
            let inputs = Tensor(shape: [rows.count, problem.fanIn], scalars: x)
            let u = layer.forward(inputs).currents
            let signal = problem.rule.postSynapticSignal(currents: u)
            let maximum = HebbianDelta.compute(signal: signal, context: RuleContext(inputs: inputs, currents: u, weights: layer.weight), into: &delta)
            let rates = problem.schedule.rates(radii: radii, updateIndex: step)
            let power = problem.lebesguePower
            layer.updateWeights { radii = HebbianDelta.apply(raw: delta, maxAbsolute: maximum, rates: rates, to: &$0, lebesguePower: power) }
        }
        let hostSeconds = Date().timeIntervalSince(started)

        started = Date()
        let device = try DeviceHebbianEpoch(
            backend: backend, block: 0, layer: HebbianLayer(weight: initial, lebesguePower: problem.lebesguePower),
            rule: DeviceRule(problem.rule)!, schedule: problem.schedule, features: features, batchSize: problem.batchSize)
        _ = try device.epoch(order: order, firstUpdate: 0)
        let weights = try device.downloadWeights()
        let deviceSeconds = Date().timeIntervalSince(started)

        var (difference, scale): (Float, Float) = (0, 0)
        for i in 0..<weights.count {
            difference = max(difference, abs(weights.scalars[i] - layer.weight.scalars[i]))
            scale = max(scale, abs(layer.weight.scalars[i]))
        }
        return Result(relativeError: difference / max(scale, .leastNormalMagnitude), hostSeconds: hostSeconds, deviceSeconds: deviceSeconds)
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
        let features = Tensor(shape: [problem.samples, problem.fanIn], scalars: (0..<(problem.samples * problem.fanIn)).map { _ in rng.nextUniform() })
        let initial = Tensor(shape: [problem.units, problem.fanIn], scalars: (0..<(problem.units * problem.fanIn)).map { _ in rng.nextGaussian() * 0.1 })
        let device = try DeviceHebbianEpoch(
            backend: backend, block: 0, layer: HebbianLayer(weight: initial, lebesguePower: problem.lebesguePower),
            rule: DeviceRule(problem.rule)!, schedule: problem.schedule, features: features, batchSize: problem.batchSize)
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
