import HebbText
import HebbData
import HebbModel
import HebbTensor

// Shapes: S images (C×H×W), F features leaving the frozen blocks.

/// The frozen blocks' evaluation-mode forward on seeded images, run twice: by the host code
/// (`FeatureSource.run`: `Block.forward(_:training: false)` block after block, as `Trainer` caches
/// the features) and by `DeviceForward` on a backend, from the same seeded weights and running
/// statistics. `hebb cuda-check` runs it with CUDA; the tests with `CPUBackend`.
extension DeviceParity {
    /// A seeded prefix of frozen blocks and its images.
    public struct ForwardProblem: Sendable {
        public var name: String
        /// The blocks, as a preset name or layer strings (`PresetLibrary.resolve`).
        public var layers: String
        /// How many of the model's first blocks are frozen and run.
        public var blocks: Int
        public var channels: Int, size: Int, samples: Int
        /// Bound on one chunk's work buffers (`DeviceForward`).
        public var chunkBytes = DeviceForward.defaultChunkBytes
        public var seed: UInt64 = 1

        /// 4SoftHebbCnnCIFAR's three conv blocks (BatchNorm2d → softkrotov conv → triangle → pool:
        /// 96 5×5, max 4/2/1; 384 3×3, max 4/2/1; 1536 3×3, avg 2/2/0) on `samples` 3×32×32
        /// images: 24 576 features per image, the classifier's input. Chunks of `chunkBytes` of work
        /// buffers (2 MiB per image here; default: the trainer's 256 MiB).
        public static func softHebbCIFAR(samples: Int, chunkBytes: Int? = nil) -> ForwardProblem {
            ForwardProblem(
                name: "frozen forward 4SoftHebbCnnCIFAR blocks 0-2", layers: "4SoftHebbCnnCIFAR", blocks: 3, channels: 3, size: 32,
                samples: samples, chunkBytes: chunkBytes ?? DeviceForward.defaultChunkBytes)
        }

        /// The frozen blocks: seeded initial weights (BP layers: PyTorch's init) and running
        /// statistics moved off their initial 0 and 1 (means in [−0.5, 0.5), variances in [0.5, 2)),
        /// so every norm does something.
        public func prefix() throws -> Model {
            let shape = DataShape(channels: channels, height: size, width: size, classCount: 10)
            let resolved = try ModelBuilder.resolve(PresetLibrary.builtin().resolve(layers), data: shape)
            var rng = SeededGenerator(seed: seed)
            var model = ModelBuilder.build(resolved, using: &rng)
            model.blocks.removeLast(model.blocks.count - blocks)
            func moved(_ norm: BatchNorm?) -> BatchNorm? {
                guard var norm else { return nil }
                norm.runningMean = norm.runningMean.map { _ in rng.nextUniform() - 0.5 }
                norm.runningVariance = norm.runningVariance.map { _ in 0.5 + 1.5 * rng.nextUniform() }
                return norm
            }
            for i in model.blocks.indices {
                model.blocks[i].inputNorm = moved(model.blocks[i].inputNorm)
                model.blocks[i].outputNorm = moved(model.blocks[i].outputNorm)
            }
            return model
        }

        /// `samples` seeded images (uniform bytes, labels 0).
        public func images() throws -> LabeledImages {
            var rng = SeededGenerator(seed: seed &+ 1)
            let pixels = (0..<(samples * channels * size * size)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return try LabeledImages(
                pixels: pixels, labels: [Int32](repeating: 0, count: samples), channels: channels, height: size, width: size, classCount: 10)
        }
    }

    /// What one forward comparison found.
    public struct ForwardResult: Sendable {
        /// max |F_device − F_host| / max |F_host| over every feature of every image.
        public var relativeError: Float
        /// Features per image.
        public var features: Int
        public var hostSeconds: Double, deviceSeconds: Double
    }

    /// Runs `problem` on the host and on `backend`; the device time includes the upload of the
    /// parameters and images and the download of the features.
    public static func compare(_ problem: ForwardProblem, backend: any Backend) throws -> ForwardResult {
        let (prefix, images) = (try problem.prefix(), try problem.images())
        var started = Date()
        let host = FeatureSource.run(prefix, over: images)
        let hostSeconds = Date().timeIntervalSince(started)
        started = Date()
        let forward = try DeviceForward(backend: backend, prefix: prefix, inputWidth: images.imageSize, chunkBytes: problem.chunkBytes)
        let features = try forward.features(of: images)
        let device: [Float] = try backend.values(features.buffer, count: features.rows * features.columns)
        let deviceSeconds = Date().timeIntervalSince(started)
        return ForwardResult(
            relativeError: relativeDifference(device, host.scalars), features: features.columns, hostSeconds: hostSeconds,
            deviceSeconds: deviceSeconds)
    }

    /// Seconds of the device forward of `problem` over its images, twice (parameters uploaded before
    /// the clock starts; each pass ends with one feature downloaded, which waits for the device).
    /// The first includes the driver's warm-up.
    public static func forwardSeconds(_ problem: ForwardProblem, backend: any Backend) throws -> [Double] {
        let (prefix, images) = (try problem.prefix(), try problem.images())
        let forward = try DeviceForward(backend: backend, prefix: prefix, inputWidth: images.imageSize, chunkBytes: problem.chunkBytes)
        return try (0..<2).map { _ in
            let started = Date()
            let features = try forward.features(of: images)
            _ = try backend.values(features.buffer, count: 1, as: Float.self)
            return Date().timeIntervalSince(started)
        }
    }
}
