/// Process-wide allocator settings for the training loop.
public enum Allocator {
    /// Keeps freed blocks of up to 1 GiB in the heap instead of returning them to the kernel.
    ///
    /// Every mini-batch allocates and frees the same few large tensors (patches, currents,
    /// signals; 1–30 MB each for conv layers). glibc serves such sizes with fresh `mmap`s or trims
    /// the heap after each free, so every batch paid page faults to zero the same memory again (a
    /// third of the time of a 4SoftHebbCnnMNIST block-0 epoch went to the kernel). Called once at
    /// program start by the CLI and the benchmark; has no effect off glibc.
    public static func retainFreedMemory() {
        #if os(Linux)
            _ = glibcMallopt(glibcTrimThreshold, Int32.max)
            _ = glibcMallopt(glibcMmapThreshold, 1 << 30)
        #endif
    }
}

#if os(Linux)
    // <malloc.h> is not part of Swift's Glibc module; these are glibc's stable ABI values.
    private let glibcTrimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
    private let glibcMmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD

    @_silgen_name("mallopt")
    private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
