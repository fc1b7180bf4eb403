import ArgumentParser
import Foundation

/// `maxp-diagnose slurm-script`: writes the SLURM job array of a coord-check sweep and its dependent merge job.
struct SlurmScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm-script",
        abstract: "Write SLURM scripts that run a coord-check sweep as a job array and merge it when every task is done.",
        discussion: """
        The coord-check options go after `--` (everything but --shard and --out); they are checked now, so a typo \
        fails here rather than in the queue. Writes to --out: sweep.sbatch (array tasks 1…N, task i runs \
        `coord-check … --shard auto` into <out>/shard-i), merge.sbatch (`merge` of every shard into <out>/merged), \
        submit.sh (submits the array, then the merge with --dependency=afterok:<array>) and logs/. The jobs start \
        in the current folder, so relative paths in the options keep their meaning.

        Examples:
          maxp-diagnose slurm-script --tasks 4 --out /scratch/sweep -- --model mlp --widths 64,128,256,512,1024 --seeds 3
          sh /scratch/sweep/submit.sh --partition=debug     # extra arguments go to both sbatch calls
        """)

    @Option(help: "Number of array tasks (shards), at most the number of (width, seed) jobs.")
    var tasks: Int

    @Option(help: ArgumentHelp("Folder for the scripts, logs, shards and the merged run (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "Job name of the array (the merge job gets `-merge` appended).")
    var jobName = "maxp-coord-check"

    @Option(help: "SLURM partition (#SBATCH --partition; default: the cluster's default).")
    var partition: String?

    @Option(help: ArgumentHelp("Time limit per job (#SBATCH --time), e.g. 00:30:00.", valueName: "time"))
    var time: String?

    @Option(help: "CPUs per array task (#SBATCH --cpus-per-task).")
    var cpusPerTask: Int?

    @Option(help: ArgumentHelp("The maxp-diagnose executable the jobs run (default: this one).", valueName: "path"))
    var binary: String?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("coord-check options, after `--`.", valueName: "coord-check-option"))
    var sweepArguments: [String] = []

    func validate() throws {
        _ = try scripts()
    }

    func run() throws {
        let scripts = try scripts()
        let folder = URL(fileURLWithPath: scripts.out)
        do {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("logs"), withIntermediateDirectories: true)
        } catch {
            throw OutputFileError(path: folder.path, reason: (error as NSError).localizedDescription)
        }
        for (name, text) in [(ShardJobScripts.arrayFile, scripts.arrayScript), (ShardJobScripts.mergeFile, scripts.mergeScript),
                             (ShardJobScripts.submitFile, scripts.submitScript)] {
            let url = folder.appendingPathComponent(name)
            try OutputFile.write(Data(text.utf8), to: url)
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            print(url.path)
        }
        print("submit with: sh \(ShardJobScripts.quoted(folder.appendingPathComponent(ShardJobScripts.submitFile).path))")
    }

    /// The scripts for these options, after checking them and the coord-check options.
    func scripts() throws -> ShardJobScripts {
        guard tasks >= 1 else { throw ValidationError("--tasks: must be at least 1, got \(tasks)") }
        if let cpusPerTask, cpusPerTask < 1 {
            throw ValidationError("--cpus-per-task: must be at least 1, got \(cpusPerTask)")
        }
        for (option, value) in [("--job-name", jobName), ("--partition", partition ?? "x"), ("--time", time ?? "x")]
        where value.isEmpty || !ShardJobScripts.isPlainPath(value) {
            throw ValidationError("\(option): '\(value)' cannot go on an #SBATCH line (no spaces, quotes, % or $)")
        }
        for word in sweepArguments {
            for reserved in ["--shard", "--out", "--autofix"] where word == reserved || word.hasPrefix(reserved + "=") {
                throw ValidationError("\(reserved) after `--`: slurm-script sets each task's --shard and --out itself"
                                      + (reserved == "--autofix" ? " and cannot autofix a sharded sweep" : ""))
            }
        }
        let directory = FileManager.default.currentDirectoryPath
        let outPath = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
            .standardizedFileURL.path
        for (option, path) in [("--out", outPath), ("the current folder", directory)] where !ShardJobScripts.isPlainPath(path) {
            throw ValidationError("\(option) '\(path)' cannot go on an #SBATCH line (no spaces, quotes, % or $)")
        }
        let executable = try binary.map(Self.checkedBinary) ?? Self.currentExecutable()
        let sweep: CoordCheckCommand
        do {
            sweep = try CoordCheckCommand.parse(sweepArguments + ["--shard", "1/\(tasks)", "--out", outPath + "/shard-1"])
        } catch {
            throw ValidationError("coord-check options after `--`: " + CoordCheckCommand.message(for: error))
        }
        let config = try sweep.sweep.resolved()
        let jobs = try CoordCheckCommand.validatedPlan(sweep.sweep, ablation: sweep.ablation, depth: sweep.depthScaling).allJobs.count
        guard tasks <= jobs else {
            throw ValidationError("--tasks: \(tasks) tasks for \(jobs) (value, seed) jobs would leave tasks empty; use at most \(jobs)")
        }
        return ShardJobScripts(binary: executable, sweepArguments: sweepArguments, tasks: tasks, out: outPath,
                               workingDirectory: directory, formats: config.format.map(\.rawValue).joined(separator: ","),
                               jobName: jobName, partition: partition, timeLimit: time, cpusPerTask: cpusPerTask)
    }

    private static func checkedBinary(_ path: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileManager.default.isExecutableFile(atPath: absolute) else {
            throw ValidationError("--binary '\(path)' is not an executable file")
        }
        return absolute
    }

    /// This process's executable, absolute and with symbolic links resolved.
    private static func currentExecutable() throws -> String {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
        if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path).standardizedFileURL.path }
        throw ValidationError("cannot find this executable's path; give --binary")
    }
}
