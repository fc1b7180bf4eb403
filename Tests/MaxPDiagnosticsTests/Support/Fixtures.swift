import Foundation
@testable import MaxPDiagnostics
import _MaxPTestSupport

enum Fixtures {
    static let widths = [64, 128, 256, 512, 1024, 2048]

    /// A table whose statistic `statistic` of `op` at `t` follows `c · w^slope(op, t, statistic) · e^(noise·N)`,
    /// with a per-seed constant; `nil` slope means exact zeros.
    static func table(ops: [OpDescriptor], steps: Int, seeds: [Int] = [0, 1, 2], widths: [Int] = widths,
                      noise: Double = 0.01, randomSeed: UInt64 = 7, lossSeries: [LossSeries] = [],
                      slope: (String, Int, CoordStatistic) -> Double?) -> CoordTable {
        var random = TestRandom(seed: randomSeed)
        var rows: [CoordRow] = []
        for width in widths {
            for seed in seeds {
                for t in 0...steps {
                    for descriptor in ops {
                        func value(_ statistic: CoordStatistic) -> Double {
                            if statistic == .deltaRMS && t == 0 { return 0 }
                            guard let s = slope(descriptor.op, t, statistic) else { return 0 }
                            let constant = 0.8 + 0.1 * Double(seed)
                            return constant * pow(Double(width), s) * exp(noise * random.normal())
                        }
                        rows.append(CoordRow(axisValue: width, seed: seed, t: t, op: descriptor.op, kind: descriptor.kind,
                                             l1: value(.l1), rms: value(.rms), deltaRMS: value(.deltaRMS)))
                    }
                }
            }
        }
        let metadata = CoordTableMetadata(axis: .width, axisValues: widths, seeds: seeds, steps: steps,
                                          modelDescription: "synthetic", parametrization: "mup", optimizer: "adam",
                                          learningRate: 0.01, ops: ops, lossSeries: lossSeries)
        return CoordTable(metadata: metadata, rows: rows)
    }

    /// µP MLP graph: fc_1 (input) → relu → fc_2 (hidden) → relu → readout, Adam r = 0.
    static func mlp(readoutA: Double = 0.5, hiddenR: Double = 0, r readoutR: Double = 0) -> [OpDescriptor] {
        [
            OpDescriptor(op: "fc_1", kind: "input", inputs: [],
                         exponents: ParametrizedExponents(a: 0, b: 0, r: 0, contractsOverWidth: false)),
            OpDescriptor(op: "relu_1", kind: "relu", inputs: ["fc_1"]),
            OpDescriptor(op: "fc_2", kind: "hidden", inputs: ["relu_1"],
                         exponents: ParametrizedExponents(a: 0, b: 0.5, r: hiddenR, contractsOverWidth: true)),
            OpDescriptor(op: "relu_2", kind: "relu", inputs: ["fc_2"]),
            OpDescriptor(op: "readout", kind: "readout", inputs: ["relu_2"],
                         exponents: ParametrizedExponents(a: readoutA, b: 0.5, r: readoutR, contractsOverWidth: true)),
        ]
    }

    /// One attention block: ln → q, k, v (hidden) → qk (a = 1, no weight) → mask → softmax → probs·V → out → residual.
    static func attention() -> [OpDescriptor] {
        func hidden(_ name: String, _ input: String) -> OpDescriptor {
            OpDescriptor(op: name, kind: "hidden", inputs: [input],
                         exponents: ParametrizedExponents(a: 0, b: 0.5, r: 0, contractsOverWidth: true))
        }
        return [
            OpDescriptor(op: "embed", kind: "embedding", inputs: [],
                         exponents: ParametrizedExponents(a: 0, b: 0, r: 0, contractsOverWidth: false)),
            OpDescriptor(op: "blocks.0.ln", kind: "layerNorm", inputs: ["embed"]),
            hidden("blocks.0.attn.q", "blocks.0.ln"),
            hidden("blocks.0.attn.k", "blocks.0.ln"),
            hidden("blocks.0.attn.v", "blocks.0.ln"),
            OpDescriptor(op: "blocks.0.attn.qk", kind: "attention_logits", inputs: ["blocks.0.attn.q", "blocks.0.attn.k"],
                         exponents: ParametrizedExponents(a: 1, b: 0, r: 0, contractsOverWidth: true, hasWeight: false)),
            OpDescriptor(op: "blocks.0.attn.mask", kind: "causalMask", inputs: ["blocks.0.attn.qk"]),
            OpDescriptor(op: "blocks.0.attn.softmax", kind: "softmax", inputs: ["blocks.0.attn.mask"]),
            OpDescriptor(op: "blocks.0.attn.pv", kind: "matmul", inputs: ["blocks.0.attn.softmax", "blocks.0.attn.v"]),
            hidden("blocks.0.attn.out", "blocks.0.attn.pv"),
            OpDescriptor(op: "blocks.0.residual", kind: "add", inputs: ["embed", "blocks.0.attn.out"]),
        ]
    }

    /// The golden data folder inside the repository (`Tests/Fixtures/golden`).
    static func goldenDirectory() -> URL { TestFixtures.goldenDirectory }
}
