import ArgumentParser
import MaxPPlot

/// `--model`: the built-in model families.
enum ModelChoice: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    /// Multi-layer perceptron `input-dim → w → … → w → output-dim` (`--depth` hidden layers).
    case mlp
    /// GPT-style decoder; width is swept at a fixed head count (`--heads`), so the head dimension grows with width.
    case gpt
}

/// `--parametrization`: the declared abc parametrization.
enum ParametrizationChoice: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case sp, mup, ntk, mfp, maxp
}

/// `--optimizer`.
enum OptimizerChoice: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case adam, sgd, adafactor
}

/// `--axis`: what the sweep varies.
enum AxisChoice: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case width, depth
}

/// `--inject`: a known bug planted in a built-in model (the declared parametrization stays the correct one).
enum FaultChoice: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    /// The readout's `width^-½` multiplier is missing (a = 0 instead of ½).
    case missingReadoutMultiplier = "missing-readout-multiplier"
    /// Attention logits scaled by `1/√d` instead of `1/d` (GPT only).
    case attentionSqrtD = "attention-sqrt-d"
    /// A hidden layer's learning rate is not width-scaled (c = 0).
    case hiddenLRUnscaled = "hidden-lr-unscaled"
    /// The embedding multiplier is off.
    case embeddingMultiplier = "embedding-multiplier"
}

/// A comma-separated list of positive integers (`64,128,256`).
struct IntegerList: ExpressibleByArgument, Codable, Sendable, Equatable {
    var values: [Int]
    init(_ values: [Int]) { self.values = values }
    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = parts.compactMap { Int($0) }
        guard !parts.isEmpty, parsed.count == parts.count else { return nil }
        values = parsed
    }
    init(from decoder: any Decoder) throws { values = try decoder.singleValueContainer().decode([Int].self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}

/// A comma-separated list of positive numbers (`1e-4,3e-4,1e-3`).
struct NumberList: ExpressibleByArgument, Codable, Sendable, Equatable {
    var values: [Double]
    init(_ values: [Double]) { self.values = values }
    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = parts.compactMap { Double($0) }
        guard !parts.isEmpty, parsed.count == parts.count else { return nil }
        values = parsed
    }
    init(from decoder: any Decoder) throws { values = try decoder.singleValueContainer().decode([Double].self) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

/// `--format png,svg`: image formats to write.
struct FormatList: ExpressibleByArgument, Codable, Sendable, Equatable {
    var formats: [ImageFormat]
    init(_ formats: [ImageFormat]) { self.formats = formats }
    init?(argument: String) {
        let parts = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = parts.compactMap { ImageFormat(pathExtension: $0) }
        guard !parts.isEmpty, parsed.count == parts.count else { return nil }
        var unique: [ImageFormat] = []
        for format in parsed where !unique.contains(format) { unique.append(format) }
        formats = unique
    }
    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let list = FormatList(argument: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "`\(text)` is not a list of png/svg"))
        }
        self = list
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
    var description: String { formats.map(\.rawValue).joined(separator: ",") }
    var defaultValueDescription: String { description }
    static var allValueStrings: [String] { ["png", "svg", "png,svg"] }
}

/// `--shard i/N`: run only the i-th of N disjoint parts of the job list (1 ≤ i ≤ N), for batch job arrays.
/// Merge the parts' output folders with `maxp-diagnose merge`.
struct Shard: ExpressibleByArgument, Codable, Sendable, Equatable, CustomStringConvertible {
    /// 1-based part number.
    var index: Int
    /// Number of parts.
    var count: Int
    init(index: Int, count: Int) { self.index = index; self.count = count }
    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }
    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let shard = Shard(argument: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "`\(text)` is not i/N"))
        }
        self = shard
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
    var description: String { "\(index)/\(count)" }
    /// Whether job number `job` (0-based, in the engine's stable job order) belongs to this shard (round robin).
    func contains(job: Int) -> Bool { job % count == index - 1 }
}
