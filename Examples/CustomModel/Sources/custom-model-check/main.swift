import Foundation
import MaxP
import MaxPDiagnostics
import MaxPReport

// custom-model-check --out DIR [--bug readout]: a coord check of SwiGLUNet through maxP's public runner.
let arguments = Array(CommandLine.arguments.dropFirst())
guard let outIndex = arguments.firstIndex(of: "--out"), outIndex + 1 < arguments.count,
      arguments.count == 2 || (arguments.count == 4 && arguments.contains("--bug") && arguments.contains("readout")) else {
    FileHandle.standardError.write(Data("usage: custom-model-check --out DIR [--bug readout]\n".utf8))
    exit(2)
}
let out = URL(fileURLWithPath: arguments[outIndex + 1])
let bug = arguments.contains("--bug")

do {
    // ── The coord check: a factory (width, seed) → network, then the same sweep `maxp-diagnose coord-check` runs.
    let task = TeacherStudentTask(inputDimension: 32, classes: 10, seed: 0)
    let check = CoordCheck(widths: [64, 128, 256, 512], seeds: [0, 1, 2], steps: 3,
                           training: TrainingOptions(parametrization: .mup, optimizer: .adam, learningRate: 1e-2, baseWidth: 64),
                           description: "SwiGLUNet 32→w→(SwiGLU 2w)→10" + (bug ? " [bug: no readout multiplier]" : "")) { width, seed in
        let model = SwiGLUNet(inputs: 32, width: width, classes: 10, withReadoutMultiplier: !bug)
        return CoordCheckNetwork(model, classifying: task.batch(size: 64, index: seed)) { model($0) }
    }
    let result = try check.run(progress: TerminalProgress(label: "custom-model-check").sweepCallback)
    try RunArtifacts.writeCoordCheck(table: result.table, slopes: result.slopeReport(),
                                     run: RunDescription(coordCheck: result, command: "custom-model-check"), to: out)
    // ── End of the coord check.
    for entry in result.slopeReport().ops where entry.verdict.isDeviation && entry.inheritedFrom == nil && entry.statistic == .l1 {
        print("\(entry.verdict.rawValue): \(entry.message)")
    }
    print("wrote \(out.path)/report.md, coord_check.png, coord_data.csv, slopes.json")
} catch {
    FileHandle.standardError.write(Data("custom-model-check: \(error)\n".utf8))
    exit(2)
}
