import Foundation
import Testing
import _MaxPTestSupport

@Suite("The tests' subprocess runner")
struct SubprocessTests {
    @Test("a child that fills stderr before writing stdout does not deadlock; status and both streams come back")
    func drainsBothPipes() throws {
        // 1 MB on stderr is far beyond a pipe's buffer: reading stdout to its end first would block forever.
        let outcome = try Subprocess.run(URL(fileURLWithPath: "/bin/sh"),
                                         ["-c", "head -c 1000000 /dev/zero | tr '\\0' e >&2; echo done; exit 3"])
        #expect(outcome.status == 3)
        #expect(outcome.stdout == "done\n")
        #expect(outcome.stderr.utf8.count == 1_000_000 && outcome.stderr.allSatisfy { $0 == "e" })
    }
}
