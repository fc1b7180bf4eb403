import Foundation
import MaxP
import Testing
@testable import MaxPDiagnostics

@Suite("Engine: recorder, determinism, sharding, divergence")
struct EngineRecorderTests {
    static let tiny = EngineFixtures.mlpPlan(steps: 1, seeds: [0, 1], widths: [16, 32, 64])

    @Test func recordsEveryCallSiteAndTheGraph() throws {
        let result = try SweepRunner.run(Self.tiny)
        let atInit = result.table.rows.filter { $0.axisValue == 16 && $0.seed == 0 && $0.t == 0 }
        // ReLU is called three times: three call sites, three rows.
        #expect(atInit.map(\.op) == ["fc_1", "relu", "fc_2", "relu#1", "fc_3", "relu#2", "readout"])
        #expect(atInit.map(\.kind) == ["embedding", "relu", "hidden", "relu", "hidden", "relu", "readout"])
        #expect(atInit.allSatisfy { $0.deltaRMS == 0 && $0.l1 > 0 && $0.rms >= $0.l1 })
        let trained = result.table.rows.filter { $0.t == 1 }
        #expect(trained.allSatisfy { $0.deltaRMS > 0 })
        #expect(result.table.rows.count == 3 * 2 * 2 * 7)
        let graph = result.table.metadata.ops
        #expect(graph.first { $0.op == "fc_2" }?.inputs == ["relu"])
        #expect(graph.first { $0.op == "relu#2" }?.inputs == ["fc_3"])
        let readout = try #require(graph.first { $0.op == "readout" }?.exponents)
        #expect(readout.a == 0.5 && readout.b == 0.5 && readout.contractsOverWidth)
        #expect(graph.first { $0.op == "fc_1" }?.exponents?.contractsOverWidth == false)
        #expect(result.table.metadata.lossSeries.count == 6)
    }

    @Test func statisticsMatchADirectComputation() {
        let values: [Float] = (0..<1003).map { Float(($0 * 37) % 101) / 50 - 1 }
        let initial: [Float] = values.map { $0 * 0.5 }
        let stats = SizeStatistics(values, initial: initial)
        let l1 = values.reduce(0.0) { $0 + Double(abs($1)) } / 1003
        let rms = (values.reduce(0.0) { $0 + Double($1 * $1) } / 1003).squareRoot()
        #expect(abs(stats.l1 - l1) < 1e-6)
        #expect(abs(stats.rms - rms) < 1e-6)
        #expect(abs(stats.deltaRMS - rms / 2) < 1e-6)
        #expect(SizeStatistics([1, .nan], initial: nil).l1.isNaN)
    }

    @Test func sameSeedGivesIdenticalBytesParallelOrSerial() throws {
        let first = try SweepRunner.run(Self.tiny).table
        let second = try SweepRunner.run(Self.tiny, parallel: false).table
        #expect(first.csvString() == second.csvString())
        #expect(try first.jsonData() == second.jsonData())
    }

    @Test func shardsMergeIntoTheUnshardedTable() throws {
        let whole = try SweepRunner.run(Self.tiny).table
        var parts: [CoordTable] = []
        for index in 0..<2 {
            var plan = Self.tiny
            plan.shard = try SweepShard(index: index, count: 2)
            parts.append(try SweepRunner.run(plan).table)
        }
        #expect(parts.allSatisfy { !$0.rows.isEmpty && $0.rows.count < whole.rows.count })
        let merged = try CoordTable.merged(parts).sorted()
        #expect(merged.csvString() == whole.csvString())
        #expect(Set(merged.metadata.lossSeries.map { [$0.axisValue, $0.seed] }).count == 6)
        #expect(throws: ModelBuildError.self) { try SweepShard(index: 2, count: 2) }
    }

    @Test func absurdLearningRateDivergesWithoutCrashing() throws {
        var plan = EngineFixtures.mlpPlan(.sp, lr: 1e12, steps: 3, seeds: [0, 1], widths: [16, 32, 64])
        plan.model.depth = 2
        let result = try SweepRunner.run(plan)
        #expect(!result.divergedJobs.isEmpty)
        #expect(result.table.rows.contains { $0.l1.isNaN || $0.l1.isInfinite })
        #expect(result.table.rows.count == 3 * 2 * 4 * 5)
        let report = result.slopeReport()
        #expect(report.ops.contains { $0.diverged })
        #expect(!report.ops.contains { $0.diverged && $0.verdict == .ok })
    }

    @Test func configurationErrorsAreTyped() {
        #expect(throws: ModelBuildError.unknownFault("bogus")) { try Fault(parsing: "bogus") }
        #expect(throws: ModelBuildError.self) { try SweepRunner.run(EngineFixtures.mlpPlan(fault: .attentionSqrtD)) }
        #expect(throws: ModelBuildError.self) { try SweepRunner.run(EngineFixtures.mlpPlan(.sp, fault: .missingReadoutMultiplier)) }
        #expect(throws: ModelBuildError.self) { try SweepRunner.run(EngineFixtures.mlpPlan(widths: [64, 32, 128])) }
        #expect(throws: ModelBuildError.self) { try SweepRunner.run(EngineFixtures.mlpPlan(widths: [64, 128])) }
    }

    @Test func tasksAreSeededAndCSVErrorsNameTheLine() throws {
        let task = TeacherStudentTask(inputDimension: 8, classes: 3, seed: 4)
        #expect(task.batch(size: 5, index: 1) == task.batch(size: 5, index: 1))
        #expect(task.batch(size: 5, index: 1) != task.batch(size: 5, index: 2))
        let markov = MarkovTask(vocabulary: 16, seed: 1)
        guard case let .tokens(tokens, targets, _, _) = markov.batch(size: 2, sequenceLength: 6, index: 0) else {
            Issue.record("expected tokens"); return
        }
        #expect(Array(tokens[1..<6]) == Array(targets[0..<5]))
        let data = try CSVDataset(csv: "a,b,label\n0.5,1,0\n-1,2,2\n")
        #expect(data.featureCount == 2 && data.classes == 3)
        #expect(throws: CSVDatasetError.invalidNumber(source: "CSV", line: 3, column: 2, text: "x")) {
            try CSVDataset(csv: "a,b,label\n0.5,1,0\n-1,x,2\n")
        }
        #expect(throws: CSVDatasetError.fieldCount(source: "CSV", line: 2, expected: 3, found: 2)) {
            try CSVDataset(csv: "0.5,1,0\n1,0\n")
        }
    }
}
