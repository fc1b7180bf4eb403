import Foundation

/// The memory a run of built-in models needs, estimated from the sizes alone before anything is allocated, so an
/// impossible size (`width 10^9`, `batch 10^9`, a CSV label of `10^8` classes) is refused with a message instead of
/// crashing the process in the allocator.
///
/// Per model (all `Float`, 4 bytes a scalar; every product in `Double`, so huge sizes cannot overflow `Int`):
/// - weights: ``parameterCount(_:width:depth:heads:)`` × ``copiesPerParameter`` (value, gradient, Adam's two moments,
///   the initial weights the alignment measurement compares against);
/// - activations: ``activationCount(_:width:depth:heads:)`` × ``copiesPerActivation`` (forward value, gradient and
///   the tape's intermediates);
/// - the batch (and the teacher of the synthetic MLP task).
///
/// A sweep runs up to `jobsInFlight` models at once (one per core): its estimate is the sum of its largest models.
/// The estimate is deliberately rough (within a small factor) — it exists to tell `10^12` bytes from `10^9`.
public struct MemoryEstimate: Sendable, Equatable, CustomStringConvertible {
    /// Bytes of one scalar (`Float`).
    public static let bytesPerScalar = 4.0
    /// Copies held per trainable scalar: value, gradient, Adam's first and second moment, initial weights.
    public static let copiesPerParameter = 5.0
    /// Copies held per activation scalar of one forward: value, gradient, tape intermediates.
    public static let copiesPerActivation = 4.0
    /// Bytes the process needs besides the models (code, report rendering, figures).
    public static let baseBytes = 64.0 * 1024 * 1024

    /// Trainable scalars of the largest model.
    public var parameters: Double
    /// Models held in memory at once.
    public var jobsInFlight: Int
    /// Estimated bytes of the whole run.
    public var bytes: Double

    /// Creates an estimate.
    public init(parameters: Double, jobsInFlight: Int, bytes: Double) {
        self.parameters = parameters
        self.jobsInFlight = jobsInFlight
        self.bytes = bytes
    }

    /// `12.3 GB (largest model 3.1e+09 parameters, 2 models at once)`.
    public var description: String {
        "\(Self.format(bytes)) (largest model \(String(format: "%.3g", parameters)) parameters, "
            + "\(jobsInFlight) model\(jobsInFlight == 1 ? "" : "s") at once)"
    }

    /// Trainable scalars of the built-in model of `options`' family at `width`, `depth`, `heads` — exactly what
    /// the built network holds (``MLP``: `d·w + (L−1)·w² + w·k`, no bias; GPT: token and position embeddings
    /// `(V + S)·w`, per block `12·w²` (q, k, v, o and the 4× feed-forward) and two layer-norm gains `2·w`, the final
    /// norm's gain `w`, the readout `w·V`).
    public static func parameterCount(_ options: ModelOptions, width: Int, depth: Int, heads: Int) -> Double {
        let w = Double(width), layers = Double(depth)
        switch options.family {
        case .mlp:
            return Double(options.inputDimension) * w + max(layers - 1, 0) * w * w + w * Double(options.outputDimension)
        case .gpt:
            let vocabulary = Double(options.vocabulary), length = Double(options.sequenceLength)
            return (vocabulary + length) * w + layers * (12 * w * w + 2 * w) + w + w * vocabulary
        }
    }

    /// Activation scalars of one forward pass on a batch (every layer's output; GPT: per block the residual
    /// stream, q/k/v/o, the feed-forward's `4·w` hidden, and `heads · S²` attention scores and weights; the logits).
    public static func activationCount(_ options: ModelOptions, width: Int, depth: Int, heads: Int) -> Double {
        let w = Double(width), layers = Double(depth), batch = Double(options.batch)
        switch options.family {
        case .mlp:
            return batch * (Double(options.inputDimension) + 2 * layers * w + 2 * Double(options.outputDimension))
        case .gpt:
            let tokens = batch * Double(options.sequenceLength), length = Double(options.sequenceLength)
            let perBlock = tokens * 16 * w + batch * Double(heads) * length * length * 2
            return tokens * 2 * w + layers * perBlock + tokens * 2 * Double(options.vocabulary)
        }
    }

    /// Bytes of one model of `options` at `width`, `depth`, `heads`, training on its batch.
    public static func modelBytes(_ options: ModelOptions, width: Int, depth: Int, heads: Int) -> Double {
        let data: Double
        switch options.family {
        case .mlp:  // the batch and the teacher–student task's teacher
            data = Double(options.batch) * Double(options.inputDimension)
                + Double(options.inputDimension) * Double(options.outputDimension)
        case .gpt: data = 2 * Double(options.batch) * Double(options.sequenceLength) + Double(options.vocabulary) * Double(options.vocabulary)
        }
        let scalars = parameterCount(options, width: width, depth: depth, heads: heads) * copiesPerParameter
            + activationCount(options, width: width, depth: depth, heads: heads) * copiesPerActivation + data
        return scalars * bytesPerScalar
    }

    /// The estimate of a run of the models at swept `values` on `axis`, `jobsInFlight` of them at once (the
    /// largest ones, as the engines start the largest jobs first).
    public static func run(_ options: ModelOptions, axis: SweepAxis, values: [Int], jobsInFlight: Int) -> MemoryEstimate {
        func sizes(_ value: Int) -> (width: Int, depth: Int, heads: Int) {
            (axis == .width ? value : options.width, axis == .depth ? value : options.depth,
             axis == .heads ? value : options.heads(atWidth: axis == .width ? value : options.width))
        }
        let models = values.map { value -> (parameters: Double, bytes: Double) in
            let s = sizes(value)
            return (parameterCount(options, width: s.width, depth: s.depth, heads: s.heads),
                    modelBytes(options, width: s.width, depth: s.depth, heads: s.heads))
        }
        let inFlight = max(1, jobsInFlight)
        let largest = models.map(\.bytes).sorted(by: >)
        // A value can run several jobs at once (seeds, learning rates): repeat the largest up to `inFlight`.
        let held = (0..<inFlight).map { largest.isEmpty ? 0 : largest[min($0, largest.count - 1)] }
        return MemoryEstimate(parameters: models.map(\.parameters).max() ?? 0, jobsInFlight: inFlight,
                              bytes: baseBytes + held.reduce(0, +))
    }

    /// Models a parallel engine holds at once for `jobs` jobs: one per core, at most `jobs`.
    public static func jobsInFlight(jobs: Int) -> Int {
        max(1, min(jobs, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Throws ``ModelBuildError/insufficientMemory(estimate:availableBytes:setting:)`` (naming `setting`, the swept
    /// size to lower) when the estimate exceeds `available` bytes (default: ``availableBytes()``; nothing is checked
    /// when that is unknown).
    public func check(setting: SweepSetting = .values,
                      available: Double? = MemoryEstimate.availableBytes()) throws(ModelBuildError) {
        guard let available, bytes > available else { return }
        throw .insufficientMemory(estimate: self, availableBytes: available, setting: setting)
    }

    /// The memory available to a new process: `MemAvailable` of `/proc/meminfo` (Linux), nil elsewhere.
    public static func availableBytes(meminfo path: String = "/proc/meminfo") -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return availableBytes(meminfoText: text)
    }

    /// `MemAvailable` in bytes from the text of `/proc/meminfo` (`MemAvailable:   123456 kB`).
    public static func availableBytes(meminfoText text: String) -> Double? {
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Double(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// `1.5 GB`, `4e+04 GB`, `320 MB` (three significant digits).
    public static func format(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.3g GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
    }
}
