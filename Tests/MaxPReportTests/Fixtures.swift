import Foundation
import MaxPDiagnostics
@testable import MaxPReport
import _MaxPTestSupport

/// Synthetic runs with known slopes: every op flat except `readout`, which shrinks as width^-½ at init and (the
/// planted bug) grows as width^+0.9 after training.
enum Fixtures {
    static let widths = [64, 128, 256, 512]
    static let ops: [(name: String, kind: String, initSlope: Double)] = [
        ("fc_1", "input", 0), ("fc_1.relu", "relu", 0), ("fc_2", "hidden", 0), ("readout", "readout", -0.5),
    ]

    static func table(seeds: [Int] = [0, 1, 2], steps: Int = 2) -> CoordTable {
        var generator = TestRandom(state: 7)
        var rows: [CoordRow] = []
        for width in widths {
            for seed in seeds {
                for t in 0...steps {
                    for op in ops {
                        let slope = op.name == "readout" && t > 0 ? 0.9 : op.initSlope
                        let value = 0.8 * pow(Double(width), slope) * exp(0.03 * generator.normal())
                        rows.append(CoordRow(axisValue: width, seed: seed, t: t, op: op.name, kind: op.kind, l1: value,
                                             rms: 1.2 * value, deltaRMS: t == 0 ? 0 : 0.1 * value))
                    }
                }
            }
        }
        let descriptors = [
            OpDescriptor(op: "fc_1", kind: "input", exponents: ParametrizedExponents(a: 0, b: 0, r: 0, contractsOverWidth: false)),
            OpDescriptor(op: "fc_1.relu", kind: "relu", inputs: ["fc_1"]),
            OpDescriptor(op: "fc_2", kind: "hidden", inputs: ["fc_1.relu"],
                         exponents: ParametrizedExponents(a: 0, b: 0.5, r: 0, contractsOverWidth: true)),
            OpDescriptor(op: "readout", kind: "readout", inputs: ["fc_2"],
                         exponents: ParametrizedExponents(a: 0.5, b: 0.5, r: 0, contractsOverWidth: true)),
        ]
        let metadata = CoordTableMetadata(axis: .width, axisValues: widths, seeds: seeds, steps: steps,
                                          modelDescription: "MLP 32→w→w→10", parametrization: "mup", optimizer: "adam",
                                          learningRate: 1e-3, ops: descriptors)
        return CoordTable(metadata: metadata, rows: rows)
    }

    static func run(_ table: CoordTable) -> RunDescription {
        var run = RunDescription(table: table, command: "maxp-diagnose coord-check --widths 64,128,256,512 --out <dir>")
        run.settings = [.init(name: "widths", value: "64,128,256,512")]
        run.layers = [
            LayerExponentRow(name: "fc_1", role: "input", width: 32, a: 0, b: 0, c: 0, lr: 1e-3, r: 0),
            LayerExponentRow(name: "fc_2", role: "hidden", width: 512, a: 0, b: 0.5, c: 1, lr: 1e-3 / 512, r: 0),
            LayerExponentRow(name: "readout", role: "readout", width: 512, a: 0.5, b: 0.5, c: 0.5, lr: nil, r: 0),
        ]
        return run
    }

    /// LR-transfer trials: µP optimum fixed at 10^-3, SP optimum ∝ width^-1; the largest lr diverges at width 256.
    static func trials() -> [LRTrial] {
        let lrs = (-4...4).map { 1e-3 * pow(2, Double($0)) }
        var trials: [LRTrial] = []
        for label in ["sp", "mup"] {
            for width in [64, 128, 256] {
                let best = label == "mup" ? 1e-3 : 1e-3 * 64 / Double(width)
                for lr in lrs {
                    for seed in 0..<2 {
                        let x = log2(lr / best)
                        let diverged = width == 256 && lr == lrs.last!
                        trials.append(LRTrial(parametrization: label, width: width, lr: lr, seed: seed,
                                              finalLoss: diverged ? nil : 2 + 0.1 * x * x + 0.01 * Double(seed),
                                              diverged: diverged))
                    }
                }
            }
        }
        return trials
    }

    static func temporaryFolder(_ name: String = #function) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("maxp-report-tests-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        return url
    }
}
