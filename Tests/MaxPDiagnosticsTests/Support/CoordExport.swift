import Foundation
@testable import MaxPDiagnostics
import _MaxPTestSupport

/// Writes our own tables the way outside tools do, to test the importer on data with known slopes.
enum CoordExport {
    /// As pandas writes a microsoft `mup` `get_coord_data` frame: unnamed index, `width,module,t,l1,optimizer,lr`,
    /// `t` from 1, the root module (empty name) first at every step, seeds as repeated blocks (seed → width → t → op),
    /// no seed column. `l2` is added when `withL2`.
    static func mupCSV(_ table: CoordTable, withL2: Bool = false, lineEnding: String = "\n") -> String {
        var lines = [",width,module,t,l1" + (withL2 ? ",l2" : "") + ",optimizer,lr"]
        var index = 0
        let ops = table.opOrder
        var byKey: [CoordRowKey: CoordRow] = [:]
        for row in table.rows { byKey[row.key] = row }
        for seed in table.seeds {
            for width in table.axisValues {
                for t in table.steps {
                    lines.append("\(index),\(width),,\(t + 1),1.5" + (withL2 ? ",2.0" : "") + ",adam,0.01")
                    index += 1
                    for op in ops {
                        guard let row = byKey[CoordRowKey(axisValue: width, seed: seed, t: t, op: op)] else { continue }
                        lines.append("\(index),\(width),\(op),\(t + 1),\(row.l1)" + (withL2 ? ",\(row.rms)" : "") + ",adam,0.01")
                        index += 1
                    }
                }
            }
        }
        return lines.joined(separator: lineEnding) + lineEnding
    }

    /// A tidy CSV in another tool's layout: `op,t,seed,width,<statistics>,note` (columns in a different order, an
    /// extra constant column).
    static func tidyCSV(_ table: CoordTable, statistics: [CoordStatistic] = [.l1, .rms, .deltaRMS]) -> String {
        var lines = ["op,t,seed,width," + statistics.map(\.rawValue).joined(separator: ",") + ",note"]
        for row in table.rows {
            lines.append("\(row.op),\(row.t),\(row.seed),\(row.axisValue),"
                + statistics.map { String(row.value(of: $0)) }.joined(separator: ",") + ",from-jax")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A table of `ops` whose `l1`/`rms` at step t follow `0.8 · width^slope(op, t)` (per-seed constant, 1 % noise)
    /// and `delta_rms` follows `0.1 · width^deltaSlope(op, t)` (0 at init).
    static func synthetic(ops: [String], steps: Int = 1, widths: [Int] = [64, 128, 256, 512, 1024], seeds: [Int] = [0, 1, 2],
                          slope: (String, Int) -> Double, deltaSlope: (String, Int) -> Double = { _, _ in 0 }) -> CoordTable {
        var random = TestRandom(seed: 11)
        var rows: [CoordRow] = []
        for width in widths {
            for seed in seeds {
                for t in 0...steps {
                    for op in ops {
                        let constant = 0.8 + 0.05 * Double(seed)
                        let size = constant * pow(Double(width), slope(op, t)) * exp(0.01 * random.normal())
                        let delta = t == 0 ? 0 : 0.1 * constant * pow(Double(width), deltaSlope(op, t)) * exp(0.01 * random.normal())
                        rows.append(CoordRow(axisValue: width, seed: seed, t: t, op: op, kind: "", l1: size, rms: size * 1.2,
                                             deltaRMS: delta))
                    }
                }
            }
        }
        return CoordTable(metadata: CoordTableMetadata(axis: .width, axisValues: widths, seeds: seeds, steps: steps), rows: rows)
    }
}
