import Foundation

/// Process-wide settings the numerical core depends on for speed: how the allocator treats the storage a tape
/// frees every step, and which OpenBLAS kernels run.
public enum ComputeEnvironment {
    /// Keeps freed tensor storage inside the allocator (glibc) instead of handing it back to the kernel.
    ///
    /// A training step allocates its whole graph and frees it when the tape dies. With glibc's defaults the freed top
    /// of the heap is returned to the kernel at once (the trim threshold follows the largest recent allocation, a few
    /// MB), so every step faulted its pages in again: about 15 % of a GPT step was page faults. Allocations below
    /// 64 MB now come from the heap and up to 256 MB of free heap stay mapped for the next step. Runs once; called
    /// by every ``Tape`` initializer.
    public static func retainFreedTensorMemory() { _ = retainFreedMemoryOnce }

    private static let retainFreedMemoryOnce: Void = {
        // glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not export); absent elsewhere.
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 64 << 20)
        _ = mallopt(trimThreshold, 256 << 20)
    }()

    /// The `OPENBLAS_CORETYPE` this CPU should use when OpenBLAS did not recognize it and fell back to its generic
    /// `Prescott` (SSE3) kernels although the CPU has AVX-512 (`SkylakeX`) or AVX2 with FMA (`Haswell`); `nil` when
    /// OpenBLAS chose a kernel itself or the CPU has neither. (Debian's OpenBLAS 0.3.21 does not know Intel's
    /// family 6 model 207: its GEMMs ran 3–4× slower than they can.)
    public static var recommendedBLASCoreType: String? {
        guard BLASThreads.coreName.lowercased() == "prescott",
              let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return nil }
        let flags = Set(flagsLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        if flags.contains("avx512f") && flags.contains("avx512vl") { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }

    /// Restarts the running executable with `OPENBLAS_CORETYPE` set to ``recommendedBLASCoreType`` when OpenBLAS
    /// fell back to its generic kernels and the variable is not set (OpenBLAS picks its kernels when it is loaded,
    /// before any Swift code runs, so only a new process can change them). Returns if there is nothing to do or the
    /// restart failed; call it first thing in `main`.
    public static func restartWithRecommendedBLASKernels() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let core = recommendedBLASCoreType else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        unsetenv("OPENBLAS_CORETYPE")  // exec failed: carry on with the generic kernels
    }
}
