/// A dense float32 tensor in row-major order.
///
/// Storage is a Swift array, so copies are copy-on-write. Shapes are checked with
/// preconditions (a wrong shape is a programming error, not an input error).
public struct Tensor: Equatable, Sendable {
    /// Extent of each axis, outermost first.
    public private(set) var shape: [Int]
    /// The elements, row-major.
    public var scalars: [Float]

    /// Wraps `scalars` with `shape`; the element count must match.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(
            shape.reduce(1, *) == scalars.count,
            "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

    /// Number of elements.
    public var count: Int { scalars.count }
    /// Number of axes.
    public var rank: Int { shape.count }
    /// Extent of the first axis (rows of a matrix).
    public var rows: Int { shape.first ?? 1 }
    /// Elements per row: the product of every axis but the first.
    public var columns: Int { shape.count <= 1 ? (shape.first ?? 1) : shape.dropFirst().reduce(1, *) }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Reads one element of a matrix.
    public subscript(row: Int, column: Int) -> Float {
        get { scalars[row * columns + column] }
        set { scalars[row * columns + column] = newValue }
    }

    /// Copies of rows `range` of the first axis.
    public func rows(_ range: Range<Int>) -> Tensor {
        let width = columns
        var newShape = shape
        newShape[0] = range.count
        return Tensor(
            shape: newShape,
            scalars: Array(scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }

    /// The largest absolute element (0 for an empty tensor).
    public func maxAbsolute() -> Float {
        scalars.withUnsafeBufferPointer { Kernels.maxAbsolute($0) }
    }

    /// True when every element is finite.
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }
}
