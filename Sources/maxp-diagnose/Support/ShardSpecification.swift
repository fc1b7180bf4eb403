import ArgumentParser

/// `--shard` as written on the command line: an explicit part `i/N`, or `auto` — the part is the task's place in a
/// batch job array, read from the scheduler's environment when the options are resolved:
///
/// - SLURM (`sbatch --array=…`): `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`, and the array's
///   `SLURM_ARRAY_TASK_MIN` (default 0) and `SLURM_ARRAY_TASK_STEP` (default 1), so `--array=1-4`, `0-3` and `0-6:2`
///   all give parts 1/4 … 4/4 in task order;
/// - a Kubernetes Indexed Job: `JOB_COMPLETION_INDEX` (0-based, set by Kubernetes) and `JOB_COMPLETION_COUNT`, which
///   Kubernetes does not set — give it in the pod template's `env` with the Job's `spec.completions`.
///
/// SLURM wins when both are present. Anything missing or inconsistent is an error naming the variable.
enum ShardSpecification: Sendable, Equatable, CustomStringConvertible {
    /// Part `index` of `count` as given.
    case explicit(Shard)
    /// The job array task's part, from the environment.
    case auto

    /// Parses `auto` or `i/N` (`nil` otherwise).
    init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let shard = Shard(argument: argument) {
            self = .explicit(shard)
        } else {
            return nil
        }
    }

    var description: String {
        switch self {
        case let .explicit(shard): shard.description
        case .auto: "auto"
        }
    }

    /// The concrete part: the explicit one, or the job array task's part read from `environment`.
    func resolved(environment: [String: String]) throws(SweepOptionsError) -> Shard {
        switch self {
        case let .explicit(shard): return shard
        case .auto: return try Self.fromJobArray(environment)
        }
    }

    /// The part of the SLURM array task or Kubernetes Indexed-Job pod described by `environment`.
    static func fromJobArray(_ environment: [String: String]) throws(SweepOptionsError) -> Shard {
        func integer(_ name: String, default fallback: Int? = nil) throws(SweepOptionsError) -> Int {
            guard let text = environment[name], !text.isEmpty else {
                if let fallback { return fallback }
                throw .invalid(option: "--shard auto", reason: "\(name) is not set")
            }
            guard let value = Int(text) else {
                throw .invalid(option: "--shard auto", reason: "\(name)='\(text)' is not an integer")
            }
            return value
        }
        if environment["SLURM_ARRAY_TASK_ID"] != nil {
            let id = try integer("SLURM_ARRAY_TASK_ID"), count = try integer("SLURM_ARRAY_TASK_COUNT")
            let minimum = try integer("SLURM_ARRAY_TASK_MIN", default: 0)
            let step = try integer("SLURM_ARRAY_TASK_STEP", default: 1)
            guard count >= 1, step >= 1, id >= minimum, (id - minimum) % step == 0, (id - minimum) / step < count else {
                throw .invalid(option: "--shard auto", reason: "SLURM array task \(id) is not one of \(count) tasks "
                               + "from \(minimum) in steps of \(step) (use a plain range such as --array=1-\(max(count, 1)))")
            }
            return Shard(index: (id - minimum) / step + 1, count: count)
        }
        if environment["JOB_COMPLETION_INDEX"] != nil {
            let index = try integer("JOB_COMPLETION_INDEX")
            guard environment["JOB_COMPLETION_COUNT"] != nil else {
                throw .invalid(option: "--shard auto", reason: "JOB_COMPLETION_INDEX is set but JOB_COMPLETION_COUNT is "
                               + "not (set it in the pod template to the Indexed Job's spec.completions)")
            }
            let count = try integer("JOB_COMPLETION_COUNT")
            guard count >= 1, (0..<count).contains(index) else {
                throw .invalid(option: "--shard auto", reason: "JOB_COMPLETION_INDEX \(index) is not in 0..<\(count) "
                               + "(JOB_COMPLETION_COUNT)")
            }
            return Shard(index: index + 1, count: count)
        }
        throw .invalid(option: "--shard auto", reason: "not inside a job array: neither SLURM_ARRAY_TASK_ID "
                       + "(sbatch --array) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set; give --shard i/N")
    }
}

extension ShardSpecification: ExpressibleByArgument {
    static var defaultCompletionKind: CompletionKind { .list(["auto"]) }
}
