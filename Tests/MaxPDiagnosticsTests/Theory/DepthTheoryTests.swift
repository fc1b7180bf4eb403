import Testing
@testable import MaxPDiagnostics

/// The depth theory on a hand-written graph of a 4-block pre-norm residual network: ops matched by relative
/// position, expected slopes against depth for α = 0, ½, 1.
@Suite("Depth theory")
struct DepthTheoryTests {
    /// `emb → [norm → lin → o (+)] × depth → norm_f → readout`, with the real GPT's naming.
    static func graph(depth: Int) -> [OpDescriptor] {
        var ops = [OpDescriptor(op: "tok_emb", kind: "embedding"), OpDescriptor(op: "pos_emb", kind: "embedding"),
                   OpDescriptor(op: "add", kind: "add", inputs: ["tok_emb", "pos_emb"])]
        var stream = "add"
        for block in 0..<depth {
            let p = "blocks.\(block)"
            ops += [OpDescriptor(op: "\(p).norm1", kind: "layerNorm", inputs: [stream]),
                    OpDescriptor(op: "\(p).attn.q", kind: "hidden", inputs: ["\(p).norm1"]),
                    OpDescriptor(op: "\(p).attn.o", kind: "hidden", inputs: ["\(p).attn.q"]),
                    OpDescriptor(op: "\(p).add", kind: "add", inputs: [stream, "\(p).attn.o"])]
            stream = "\(p).add"
        }
        ops += [OpDescriptor(op: "norm_f", kind: "layerNorm", inputs: [stream]),
                OpDescriptor(op: "readout", kind: "readout", inputs: ["norm_f"])]
        return ops
    }

    @Test func blockPositionsAndSites() {
        #expect(BlockPosition.allCases.map { $0.index(depth: 16) } == [0, 8, 15])
        #expect(BlockPosition.allCases.map { $0.index(depth: 2) } == [0, 1, 1])
        #expect(BlockPosition.allCases.map { $0.index(depth: 1) } == [0, 0, 0])
        let site = BlockSite(op: "blocks.12.attn.o")
        #expect(site?.container == "blocks" && site?.index == 12 && site?.local == "attn.o")
        #expect(site?.seriesName(at: .middle) == "middle.attn.o")
        #expect(BlockSite(op: "blocks.3.add#1")?.isAtBlockLevel == true)
        #expect(BlockSite(op: "fc_2") == nil && BlockSite(op: "readout") == nil && BlockSite(op: "blocks.3") == nil)
    }

    @Test func initSlopesForEachAlpha() throws {
        for (alpha, stream) in [(0.0, 0.5), (0.5, 0.0), (1.0, 0.0)] {
            let theory = DepthTheory(ops: Self.graph(depth: 4), alpha: alpha, optimizer: "adam")
            #expect(theory.hasResidualBlocks)
            func expected(_ op: String) -> Double? { theory.expectedSlope(of: op, t: 0, statistic: .rms)?.upper }
            #expect(expected("last.add") == stream, "α = \(alpha)")
            #expect(expected("middle.add") == stream, "α = \(alpha)")
            #expect(expected("first.add") == 0)
            #expect(expected("last.attn.o") == -alpha)
            #expect(expected("middle.attn.q") == 0)
            #expect(expected("tok_emb") == 0 && expected("readout") == 0 && expected("norm_f") == 0)
            #expect(expected("blocks.2.add") == nil)  // raw names are not series
            #expect(theory.expectedSlope(of: "last.add", t: 0, statistic: .deltaRMS)?.isExactZero == true)
        }
    }

    @Test func changeBoundsAfterTraining() throws {
        // CompleteP (α = 1, Adam: hidden lr ∝ depth^0): everything moves Θ(1) at most, branches depth^-1.
        let complete = DepthTheory(ops: Self.graph(depth: 4), alpha: 1, optimizer: "adam")
        #expect(complete.learningRateExponent == 0)
        #expect(complete.expectedSlope(of: "last.add", t: 1, statistic: .deltaRMS)?.upper == 0)
        #expect(complete.expectedSlope(of: "last.attn.o", t: 1, statistic: .deltaRMS)?.upper == -1)
        #expect(complete.expectedSlope(of: "middle.attn.q", t: 1, statistic: .deltaRMS)?.upper == 0)
        let total = try #require(complete.expectedSlope(of: "last.attn.o", t: 1, statistic: .rms))
        #expect(total.lower == -1 && total.upper == -1)
        // Depth-µP with SGD at α = ½: hidden lr ∝ depth^(2α − 1) = depth^0.
        #expect(DepthTheory(ops: Self.graph(depth: 4), alpha: 0.5, optimizer: "sgd").learningRateExponent == 0)
        // The plain model (no depth-µP): α = 0, no learning-rate scaling; the stream may move like depth^½ at most.
        let plain = DepthTheory(ops: Self.graph(depth: 4), alpha: nil, optimizer: "adam")
        #expect(plain.alpha == 0 && plain.learningRateExponent == 0)
        #expect(plain.expectedSlope(of: "last.add", t: 2, statistic: .deltaRMS)?.upper == 0.5)
    }

    @Test func aNetworkWithoutResidualBlocksHasNoDepthTheory() {
        let mlp = [OpDescriptor(op: "fc_1", kind: "embedding"), OpDescriptor(op: "relu", kind: "relu", inputs: ["fc_1"]),
                   OpDescriptor(op: "fc_2", kind: "hidden", inputs: ["relu"]),
                   OpDescriptor(op: "readout", kind: "readout", inputs: ["fc_2"])]
        let theory = DepthTheory(ops: mlp, alpha: nil, optimizer: "adam")
        #expect(!theory.hasResidualBlocks)
        #expect(theory.expectedSlope(of: "fc_2", t: 0, statistic: .rms) == nil)
    }

    @Test func finiteDepthStreamPredictionAddsTheMeanSquares() throws {
        // Embedding rms 1 at every depth, each branch rms b: the last stream's rms² is 1 + L · b².
        var rows: [CoordRow] = []
        for depth in [2, 4, 8] {
            rows.append(CoordRow(axisValue: depth, seed: 0, t: 0, op: "add", kind: "add", l1: 1, rms: 1, deltaRMS: 0))
            for block in 0..<depth {
                rows.append(CoordRow(axisValue: depth, seed: 0, t: 0, op: "blocks.\(block).attn.o", kind: "hidden",
                                     l1: 0.5, rms: 0.5, deltaRMS: 0))
            }
        }
        let table = CoordTable(metadata: CoordTableMetadata(axis: .depth, axisValues: [2, 4, 8], ops: Self.graph(depth: 8)),
                               rows: rows)
        let theory = DepthTheory(ops: Self.graph(depth: 8), alpha: 0, optimizer: "adam")
        let samples = try #require(theory.predictedStreamSamples(in: table)["last.add"])
        #expect(samples.map(\.axisValue) == [2, 4, 8])
        for sample in samples {
            #expect(abs(sample.value - (1 + 0.25 * Double(sample.axisValue)).squareRoot()) < 1e-12)
        }
        let first = try #require(theory.predictedStreamSamples(in: table)["first.add"])
        #expect(first.allSatisfy { abs($0.value - 1.25.squareRoot()) < 1e-12 })
    }
}
