import Foundation
import MaxPDiagnostics

/// `maxp-diagnose analyze`'s work on a generated 100 k-row CSV (1000 ops × 5 widths × 4 seeds × 5 steps, in mup and
/// tidy format): parsing, role assignment and judging, against reading the file's bytes into a string in the same
/// run (best of 3 each). Target: well under a second beyond the read.
enum AnalyzeBenchmark {
    /// One line per format.
    static func report() throws -> String {
        let widths = [64, 128, 256, 512, 1024], seeds = 4, steps = 4, ops = 1000
        let names = (0..<ops).map { $0 == ops - 1 ? "readout" : "layers.\($0).fc" }
        var random = SystemRandomNumberGenerator()
        var mup = [",width,module,t,l1,optimizer,lr"], tidy = ["width,seed,t,module,l1,rms,delta_rms"]
        var index = 0
        for seed in 0..<seeds {
            for width in widths {
                for t in 0...steps {
                    for (position, name) in names.enumerated() {
                        let slope = position == ops - 1 ? -0.5 : 0
                        let size = pow(Double(width), slope) * Double.random(in: 0.95...1.05, using: &random)
                        let delta = t == 0 ? 0 : 0.1 * size
                        mup.append("\(index),\(width),\(name),\(t + 1),\(size),adam,0.01")
                        tidy.append("\(width),\(seed),\(t),\(name),\(size),\(1.2 * size),\(delta)")
                        index += 1
                    }
                }
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maxp-bench-analyze-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines: [String] = []
        for (label, rows) in [("mup", mup), ("tidy", tidy)] {
            let url = folder.appendingPathComponent("\(label).csv")
            try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: url)
            var text = ""
            let read = try best { text = try String(contentsOf: url, encoding: .utf8) }
            var data: CoordImport?
            let parse = try best { data = try CoordImport(csv: text, path: url.path) }
            var slopes = 0
            let judge = try best { slopes = data!.slopeReport().ops.count }
            let analyze = parse + judge
            lines.append(String(format: "analyze %@ CSV, %d rows → %d slopes: read %.1f ms; beyond it parse + roles %.0f ms, "
                                + "judge %.0f ms, total %.0f ms (%.0f× the read; target well under 1 s)",
                                label, rows.count - 1, slopes, read * 1e3, parse * 1e3, judge * 1e3, analyze * 1e3, analyze / read))
        }
        return lines.joined(separator: "\n")
    }

    /// The best of three timings of `body`, in seconds.
    static func best(_ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return best
    }
}
