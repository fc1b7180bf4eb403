import ArgumentParser
import MaxP
import MaxPDiagnostics
import MaxPPlot

// The library's own enums are the option values (no mirror enums that could drift).

/// `--model`: the built-in model families.
extension ModelFamily: ExpressibleByArgument {}

/// `--parametrization`: the declared abc parametrization.
extension NamedParametrization: ExpressibleByArgument {}

/// `--alignment`: the alignment preset before any is measured.
extension AlignmentPreset: ExpressibleByArgument {}

/// `--inject`: a known bug planted in a built-in model.
extension Fault: ExpressibleByArgument {}

/// `--axis`: what the sweep varies.
extension SweepAxis: ExpressibleByArgument {
    public init?(argument: String) {
        guard Self.allCases.map(\.rawValue).contains(argument) else { return nil }
        self.init(rawValue: argument)
    }
    /// The axes a built-in sweep can vary.
    static let allCases: [SweepAxis] = [.width, .depth, .heads]
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `--optimizer` of the commands that train: only the optimizers the engine trains with
/// (``TrainingOptions/trainableOptimizers``), so help never lists one the engine refuses.
struct TrainableOptimizer: ExpressibleByArgument, Codable, Sendable, Equatable {
    var kind: OptimizerKind
    init(_ kind: OptimizerKind) { self.kind = kind }
    init?(argument: String) {
        guard let kind = OptimizerKind(rawValue: argument), TrainingOptions.trainableOptimizers.contains(kind) else { return nil }
        self.kind = kind
    }
    init(from decoder: any Decoder) throws { kind = try OptimizerKind(from: decoder) }
    func encode(to encoder: any Encoder) throws { try kind.encode(to: encoder) }
    var defaultValueDescription: String { kind.rawValue }
    static var allValueStrings: [String] { TrainingOptions.trainableOptimizers.map(\.rawValue) }
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

/// `--statistic` of the coord-check figures: l1, rms, delta_rms, mean or std.
extension PlottedStatistic: ExpressibleByArgument {}
