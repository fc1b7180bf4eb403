import Foundation

/// Process-wide settings the numerical core depends on for speed: how the allocator treats the storage a tape
/// frees every step. (Which OpenBLAS kernels run is ``BLASCoreSelection``'s job.)
public enum ComputeEnvironment {
    /// Keeps freed tensor storage inside the allocator (glibc) instead of handing it back to the kernel.
    ///
    /// A training step allocates its whole graph and frees it when the tape dies. With glibc's defaults the freed top
    /// of the heap is returned to the kernel at once (the trim threshold follows the largest recent allocation, a few
    /// MB), so every step faulted its pages in again: about 15 % of a GPT step was page faults. Allocations below
    /// 64 MB now come from the heap and up to 1 GB of free heap stays mapped for the next step or job.
    ///
    /// All threads share glibc's main arena: a worker thread's own arena lives in 64 MB heaps that glibc unmaps as
    /// soon as one is free, so parallel sweep jobs (each holding weights, Adam moments and gradients of tens of MB)
    /// faulted most of their memory in afresh — a fifth of a reference sweep's time was the kernel clearing pages.
    /// The arena cap only applies to threads that have not allocated yet: runners call this before starting their
    /// workers (``Tape``'s initializer calls it too). Runs once.
    public static func retainFreedTensorMemory() { _ = retainFreedMemoryOnce }

    private static let retainFreedMemoryOnce: Void = {
        // glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not export); absent elsewhere.
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3, arenaMax: Int32 = -8  // M_TRIM_THRESHOLD, …
        _ = mallopt(mmapThreshold, 64 << 20)
        _ = mallopt(trimThreshold, 1 << 30)
        _ = mallopt(arenaMax, 1)
    }()
}
