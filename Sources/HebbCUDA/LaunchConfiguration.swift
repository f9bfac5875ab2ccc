/// Grid and block sizes of one kernel launch (1-D), computed on the host.
public struct LaunchConfiguration: Equatable, Sendable {
    /// Blocks in the grid; 0 means there is nothing to do and the launch is skipped.
    public var blocks: Int
    /// Threads per block.
    public var threads: Int

    /// Most blocks an element-wise (grid-stride) kernel is launched with.
    public static let maximumGridStrideBlocks = 65_535

    /// A grid-stride kernel over `count` elements: one thread per element up to
    /// `maximumGridStrideBlocks` blocks, the rest looped.
    public static func elementwise(count: Int, threads: Int = KernelSources.threadsPerBlock) -> LaunchConfiguration {
        precondition(count >= 0 && threads > 0, "launch for \(count) elements with \(threads) threads")
        return LaunchConfiguration(blocks: min((count + threads - 1) / threads, maximumGridStrideBlocks), threads: threads)
    }

    /// One block per row (soft WTA, ranking, radii): the block's threads stride across the row.
    public static func perRow(rows: Int, threads: Int = KernelSources.threadsPerBlock) -> LaunchConfiguration {
        precondition(rows >= 0 && rows < Int(Int32.max), "launch for \(rows) rows")
        return LaunchConfiguration(blocks: rows, threads: threads)
    }

    /// One thread per column (decay, tally, adaptive rates): ⌈columns / threads⌉ blocks.
    public static func perColumn(columns: Int, threads: Int = KernelSources.threadsPerBlock) -> LaunchConfiguration {
        precondition(columns >= 0, "launch for \(columns) columns")
        return LaunchConfiguration(blocks: (columns + threads - 1) / threads, threads: threads)
    }
}

/// One kernel argument, passed by value as cuLaunchKernel expects.
public enum KernelArgument: Equatable, Sendable {
    /// A device pointer (0 for NULL).
    case pointer(UInt64)
    /// A C int.
    case int(Int32)
    /// A C float.
    case float(Float)

    /// An int argument from a Swift Int, which must fit in 32 bits.
    public static func count(_ value: Int) -> KernelArgument {
        precondition(value >= Int(Int32.min) && value <= Int(Int32.max), "kernel argument \(value) does not fit in a C int")
        return .int(Int32(value))
    }

    /// The argument's bytes in the C ABI (8 for pointers, 4 for int and float).
    public var bytes: [UInt8] {
        switch self {
        case .pointer(let p): return withUnsafeBytes(of: p) { Array($0) }
        case .int(let i): return withUnsafeBytes(of: i) { Array($0) }
        case .float(let f): return withUnsafeBytes(of: f) { Array($0) }
        }
    }

    /// Calls `body` with the `void**` array cuLaunchKernel takes: one pointer per argument, each
    /// to an 8-byte-aligned copy of its value.
    static func withParameterArray<R>(_ arguments: [KernelArgument], _ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>) throws -> R) rethrows -> R {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(8 * arguments.count, 8), alignment: 8)
        defer { storage.deallocate() }
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(arguments.count, 1))
        defer { pointers.deallocate() }
        for (i, argument) in arguments.enumerated() {
            let slot = storage + 8 * i
            argument.bytes.withUnsafeBytes { slot.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            pointers[i] = slot
        }
        return try body(pointers)
    }
}
