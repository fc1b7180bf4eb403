import CBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Chooses OpenBLAS's kernel set ("core") from the instructions this CPU has, when OpenBLAS's own choice is a
/// generic one.
///
/// OpenBLAS picks its kernels from the CPU's model number. Virtual machines that report a generic model (e.g.
/// "Intel(R) Xeon(R) Processor") make it fall back to its `Prescott` (SSE3) kernels, which run single-precision
/// GEMM 4–5× slower than the AVX-512 or AVX2 kernels the CPU can run. ``selectForThisCPU()`` then switches the
/// running library to `SkylakeX` (AVX-512 F, BW, DQ, VL) or `Haswell` (AVX2 + FMA), reading the instruction set
/// from `/proc/cpuinfo` (which lists only what the kernel lets programs use).
///
/// Nothing changes when `OPENBLAS_CORETYPE` is set (the user's choice wins), when OpenBLAS already chose an AVX2 or
/// newer core, or when the library is not a run-time-dispatching (`DYNAMIC_ARCH`) build. Executables call it once at
/// start, before any matrix product: it must not run while another thread is in BLAS. Different kernels round
/// differently, so results are reproducible per (machine, core), as with any BLAS thread count.
public enum BLASCoreSelection {
    /// What ``selectForThisCPU()`` did.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// OpenBLAS's own core was kept; `reason` says why.
        case kept(core: String, reason: String)
        /// Switched from OpenBLAS's choice to a core matching the CPU's instruction set.
        case switched(from: String, to: String)

        /// One line for logs and benchmark headers.
        public var description: String {
            switch self {
            case let .kept(core, reason): "OpenBLAS core \(core) (\(reason))"
            case let .switched(from, to): "OpenBLAS core \(to) (OpenBLAS chose generic \(from); the CPU has the instructions of \(to))"
            }
        }
    }

    /// Cores OpenBLAS falls back to or picks for pre-AVX2 CPUs: replaced when the CPU can do better.
    static let genericCores: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "sandybridge"]

    /// Switches OpenBLAS to the best core for this CPU if its own choice is generic (once per process; later calls
    /// return the first outcome), and stops OpenBLAS's idle worker threads.
    @discardableResult
    public static func selectForThisCPU() -> Outcome {
        let chosen = outcome
        _ = idleWorkersStopped
        return chosen
    }

    /// OpenBLAS (pthreads builds) starts its worker threads when it loads, and an idle worker spins about 0.1 s
    /// before it sleeps: processor time the first jobs of a sweep on the other cores go without. Stopping them
    /// (`blas_thread_shutdown_`) before any product is safe; the next product that uses more than one thread starts
    /// them again.
    private static let idleWorkersStopped: Void = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) () -> Int32).self)()
    }()

    private static let outcome: Outcome = {
        let current = String(cString: openblas_get_corename())
        if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !forced.isEmpty {
            return .kept(core: current, reason: "OPENBLAS_CORETYPE=\(forced)")
        }
        guard genericCores.contains(current.lowercased()) else { return .kept(core: current, reason: "OpenBLAS's choice") }
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let preferred = preferredCore(cpuFlags: flags(inCPUInfo: text)) else {
            return .kept(core: current, reason: "the CPU has no AVX2 + FMA")
        }
        guard let handle = dlopen(nil, RTLD_NOW), let quit = dlsym(handle, "gotoblas_dynamic_quit"),
              let initialize = dlsym(handle, "gotoblas_dynamic_init") else {
            return .kept(core: current, reason: "not a DYNAMIC_ARCH OpenBLAS")
        }
        typealias Entry = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", preferred, 1)
        unsafeBitCast(quit, to: Entry.self)()
        unsafeBitCast(initialize, to: Entry.self)()
        unsetenv("OPENBLAS_CORETYPE")
        let now = String(cString: openblas_get_corename())
        return now.lowercased() == preferred.lowercased()
            ? .switched(from: current, to: now) : .kept(core: now, reason: "OpenBLAS has no \(preferred) kernels")
    }()

    /// The OpenBLAS core for a CPU with these `/proc/cpuinfo` flags: `SkylakeX` with AVX-512 F/BW/DQ/VL, `Haswell`
    /// with AVX2 and FMA, otherwise `nil` (keep OpenBLAS's choice).
    static func preferredCore(cpuFlags: Set<String>) -> String? {
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The flags every processor of a `/proc/cpuinfo` text has (the `flags` lines, intersected).
    static func flags(inCPUInfo text: String) -> Set<String> {
        var common: Set<String>?
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
            common = common.map { $0.intersection(flags) } ?? flags
        }
        return common ?? []
    }
}
