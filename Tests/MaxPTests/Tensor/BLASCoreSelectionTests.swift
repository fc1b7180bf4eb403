import Testing
@testable import MaxP

/// The decision part of ``BLASCoreSelection`` (the switch itself runs in the executables, before any GEMM, and is
/// exercised by every CLI subprocess test).
@Suite("BLASCoreSelection")
struct BLASCoreSelectionTests {
    @Test func coreFollowsTheInstructionSet() {
        let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
        #expect(BLASCoreSelection.preferredCore(cpuFlags: avx512) == "SkylakeX")
        #expect(BLASCoreSelection.preferredCore(cpuFlags: avx512.subtracting(["avx512vl"])) == "Haswell")
        #expect(BLASCoreSelection.preferredCore(cpuFlags: ["sse3", "avx", "avx2", "fma"]) == "Haswell")
        #expect(BLASCoreSelection.preferredCore(cpuFlags: ["sse3", "avx", "avx2"]) == nil)
        #expect(BLASCoreSelection.preferredCore(cpuFlags: []) == nil)
    }

    @Test func flagsAreThoseEveryProcessorHas() {
        let text = """
        processor\t: 0
        model name\t: Intel(R) Xeon(R) Processor
        flags\t\t: fpu sse3 avx avx2 fma avx512f
        bugs\t\t: spectre_v1

        processor\t: 1
        flags\t\t: fpu sse3 avx avx2 fma

        """
        #expect(BLASCoreSelection.flags(inCPUInfo: text) == ["fpu", "sse3", "avx", "avx2", "fma"])
        #expect(BLASCoreSelection.flags(inCPUInfo: "processor : 0\n").isEmpty)
    }

    @Test func onlyGenericCoresAreReplaced() {
        #expect(BLASCoreSelection.genericCores.contains("prescott"))
        #expect(!BLASCoreSelection.genericCores.contains("haswell"))
        #expect(!BLASCoreSelection.genericCores.contains("skylakex"))
        #expect(!BLASCoreSelection.genericCores.contains("zen"))
    }
}
