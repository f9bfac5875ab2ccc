/// A histogram in TensorBoard's `HistogramProto` form: summary statistics and bucket counts with
/// each bucket's right edge; bucket i counts values in [bucketLimits[i−1], bucketLimits[i]) (the
/// first from `minimum`, the last including `maximum`), numpy's convention.
public struct Histogram: Sendable, Equatable {
    public var minimum: Double, maximum: Double, count: Double, sum: Double, sumOfSquares: Double
    public var bucketLimits: [Double], buckets: [Double]

    /// `bins` equal-width buckets from the smallest to the largest finite value (numpy's
    /// `histogram`, as PyTorch's SummaryWriter uses); non-finite values are left out. A constant
    /// tensor gets one bucket ending at its value.
    public init(values: [Float], bins: Int = 64) {
        precondition(bins > 0, "a histogram needs at least one bin")
        let finite = values.filter(\.isFinite).map(Double.init)
        let (low, high) = (finite.min() ?? 0, finite.max() ?? 0)
        (minimum, maximum) = (low, high)
        count = Double(finite.count)
        sum = finite.reduce(0, +)
        sumOfSquares = finite.reduce(0) { $0 + $1 * $1 }
        guard high > low else {
            (bucketLimits, buckets) = ([high], [Double(finite.count)])
            return
        }
        let width = (high - low) / Double(bins)
        var limits = (1...bins).map { low + Double($0) * width }
        limits[bins - 1] = high
        var counts = [Double](repeating: 0, count: bins)
        for value in finite { counts[min(bins - 1, Int((value - low) / width))] += 1 }
        (bucketLimits, buckets) = (limits, counts)
    }

    /// The encoded `HistogramProto`.
    var encoded: ProtobufWriter {
        var message = ProtobufWriter()
        message.double(1, minimum)
        message.double(2, maximum)
        message.double(3, count)
        message.double(4, sum)
        message.double(5, sumOfSquares)
        message.packedDoubles(6, bucketLimits)
        message.packedDoubles(7, buckets)
        return message
    }
}

/// One value of a TensorBoard `Summary`.
public enum SummaryValue: Sendable, Equatable {
    /// `simple_value`: a scalar chart point.
    case scalar(tag: String, value: Float)
    /// `histo`.
    case histogram(tag: String, Histogram)
    /// `image`: an encoded PNG of `width` × `height` with `channels` 1 (grey) or 3 (RGB).
    case image(tag: String, png: [UInt8], width: Int, height: Int, channels: Int)

    /// The encoded `Summary.Value` (tag 1, simple_value 2, image 4, histo 5).
    var encoded: ProtobufWriter {
        var message = ProtobufWriter()
        switch self {
        case .scalar(let tag, let value):
            message.string(1, tag)
            message.float(2, value)
        case .histogram(let tag, let histogram):
            message.string(1, tag)
            message.message(5, histogram.encoded)
        case .image(let tag, let png, let width, let height, let channels):
            message.string(1, tag)
            var image = ProtobufWriter()
            image.integer(1, Int64(height))
            image.integer(2, Int64(width))
            image.integer(3, Int64(channels))
            image.bytes(4, png)
            message.message(4, image)
        }
        return message
    }
}

/// TensorBoard `Event` records (tensorflow/core/util/event.proto), encoded by hand: wall_time (1,
/// double, seconds since 1970), step (2, int64), file_version (3, string) or summary (5).
public enum TensorBoardEvent {
    /// The version record every event file starts with.
    public static let fileVersion = "brain.Event:2"

    /// The first record of a file.
    public static func versionRecord(wallTime: Double) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.string(3, fileVersion)
        return TFRecord.frame(event.bytes)
    }

    /// A framed event holding `values` at `step`.
    public static func summaryRecord(_ values: [SummaryValue], step: Int, wallTime: Double) -> [UInt8] {
        var summary = ProtobufWriter()
        for value in values { summary.message(1, value.encoded) }
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.integer(2, Int64(step))
        event.message(5, summary)
        return TFRecord.frame(event.bytes)
    }
}
