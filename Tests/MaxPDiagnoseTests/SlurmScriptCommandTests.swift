import Foundation
import Testing

@Suite("--shard auto and maxp-diagnose slurm-script (subprocess)")
struct SlurmScriptCommandTests {
    static let sweep = ["--model", "mlp", "--input-dim", "8", "--depth", "2", "--output-dim", "3", "--batch", "4",
                        "--widths", "16,32,64", "--seeds", "2", "--steps", "1", "--format", "svg", "--quiet"]

    static func csv(_ folder: URL) throws -> String {
        try String(contentsOf: folder.appendingPathComponent("coord_data.csv"), encoding: .utf8)
    }

    @Test("--shard auto takes the part from SLURM or Kubernetes Indexed-Job variables, like --shard i/N")
    func autoShardFromEnvironment() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func run(_ name: String, _ shard: String, _ environment: [String: String] = [:]) throws -> String {
            let out = folder.appendingPathComponent(name)
            let outcome = try CLI.run(["coord-check"] + Self.sweep + ["--shard", shard, "--out", out.path],
                                      environment: environment)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try Self.csv(out)
        }
        let explicit = try run("explicit", "2/3")
        #expect(explicit.split(separator: "\n").count > 1)
        // --array=0-2 (task 1), --array=5-9:2 (task 7 is the second), and a Kubernetes pod with index 1.
        #expect(try run("slurm", "auto", ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3",
                                          "SLURM_ARRAY_TASK_MIN": "0"]) == explicit)
        #expect(try run("stepped", "auto", ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "3",
                                            "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_STEP": "2"]) == explicit)
        #expect(try run("kubernetes", "auto", ["JOB_COMPLETION_INDEX": "1", "JOB_COMPLETION_COUNT": "3"]) == explicit)
        #expect(try run("first", "auto", ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3",
                                          "SLURM_ARRAY_TASK_MIN": "1"]) != explicit)
    }

    @Test("--shard auto outside a job array, or with a half-set environment, is one clear line and exit 2")
    func autoShardErrors() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [([String: String], String)] = [
            (["SLURM_ARRAY_TASK_ID": "2"], "SLURM_ARRAY_TASK_COUNT is not set"),
            (["SLURM_ARRAY_TASK_ID": "two", "SLURM_ARRAY_TASK_COUNT": "4"], "SLURM_ARRAY_TASK_ID='two' is not an integer"),
            (["SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"], "is not one of 4 tasks"),
            (["JOB_COMPLETION_INDEX": "0"], "JOB_COMPLETION_COUNT is"),
            (["JOB_COMPLETION_INDEX": "3", "JOB_COMPLETION_COUNT": "3"], "not in 0..<3"),
        ]
        for (environment, message) in cases {
            let out = folder.appendingPathComponent("out")
            let outcome = try CLI.run(["coord-check"] + Self.sweep + ["--shard", "auto", "--out", out.path],
                                      environment: environment)
            #expect(outcome.status == 2, "\(environment)")
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("coord_data.csv").path))
        }
        if ProcessInfo.processInfo.environment["SLURM_ARRAY_TASK_ID"] == nil,
           ProcessInfo.processInfo.environment["JOB_COMPLETION_INDEX"] == nil {
            let outcome = try CLI.run(["coord-check"] + Self.sweep + ["--shard", "auto", "--out", folder.path + "/x"])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("not inside a job array"), "\(outcome.stderr)")
        }
    }

    @Test("the generated array and merge scripts, run as SLURM would, reproduce the unsharded run byte for byte")
    func scriptsReproduceTheUnshardedRun() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("array")
        let written = try CLI.run(["slurm-script", "--tasks", "3", "--out", out.path, "--time", "00:10:00", "--"] + Self.sweep)
        #expect(written.status == 0, "\(written.stderr)")
        let array = try String(contentsOf: out.appendingPathComponent("sweep.sbatch"), encoding: .utf8)
        let merge = try String(contentsOf: out.appendingPathComponent("merge.sbatch"), encoding: .utf8)
        let submit = try String(contentsOf: out.appendingPathComponent("submit.sh"), encoding: .utf8)
        #expect(array.contains("#SBATCH --array=1-3\n") && array.contains("--shard auto"))
        #expect(array.contains("#SBATCH --time=00:10:00\n") && merge.contains("#SBATCH --time=00:10:00\n"))
        #expect(submit.contains("--dependency=afterok:\"$array\""))
        #expect(FileManager.default.isExecutableFile(atPath: out.appendingPathComponent("submit.sh").path))

        for task in 1...3 {
            let outcome = try Self.bash(out.appendingPathComponent("sweep.sbatch"), environment: [
                "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1"])
            #expect(outcome == 0)
        }
        #expect(try Self.bash(out.appendingPathComponent("merge.sbatch"), environment: [:]) == 0)
        let unsharded = folder.appendingPathComponent("unsharded")
        #expect(try CLI.run(["coord-check"] + Self.sweep + ["--out", unsharded.path]).status == 0)
        for name in ["coord_data.csv", "slopes.json"] {
            let a = try Data(contentsOf: unsharded.appendingPathComponent(name))
            let b = try Data(contentsOf: out.appendingPathComponent("merged").appendingPathComponent(name))
            #expect(a == b, "\(name) of the merged shards differs from the unsharded run")
        }
    }

    @Test("slurm-script rejects what it cannot run, writing nothing")
    func slurmScriptErrors() throws {
        let folder = try CLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("scripts")
        let cases: [([String], String)] = [
            (["--tasks", "7", "--"] + Self.sweep, "7 tasks for 6 (value, seed) jobs"),
            (["--tasks", "0", "--"] + Self.sweep, "--tasks: must be at least 1"),
            (["--tasks", "2", "--"] + Self.sweep + ["--shard", "1/2"], "--shard after `--`"),
            (["--tasks", "2", "--"] + Self.sweep + ["--out=elsewhere"], "--out after `--`"),
            (["--tasks", "2", "--", "--widths", "16,32"], "needs at least 3"),
            (["--tasks", "2", "--", "--no-such-option"], "coord-check options after `--`"),
            (["--tasks", "2", "--partition", "a b", "--"] + Self.sweep, "cannot go on an #SBATCH line"),
        ]
        for (arguments, message) in cases {
            let outcome = try CLI.run(["slurm-script", "--out", out.path] + arguments)
            #expect(outcome.status == 2, "\(arguments)")
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    /// Runs `script` with bash (its `#SBATCH` lines are comments) and returns the exit status.
    static func bash(_ script: URL, environment: [String: String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
