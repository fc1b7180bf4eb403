import Foundation

/// A grid of training runs (`SWEEP.yaml`): a base run configuration, the swept keys with their values (every
/// combination is one run), and overrides applied to every run.
///
/// ```yaml
/// base_config: run.yaml              # or a RUN configuration inline
/// sweep:
///   model.width: [32, 64]
///   optimizer.lr_prefactor: [0.01, 0.1]
/// overrides: {steps: 12}
/// ```
///
/// Combinations are in a fixed order: the first swept key varies slowest, each key's values in the order written.
/// Each run's document is the base, then the overrides, then the run's settings.
public struct GridSpecification: Sendable, Equatable {
    /// The top-level keys of a grid file.
    public static let keys = ["base_config", "sweep", "overrides"]

    /// The base run document.
    public var base: ConfigValue
    /// The swept keys (dotted) and their values, in file order.
    public var sweep: [(key: String, values: [ConfigValue])]
    /// Dotted key → value for every run.
    public var overrides: [(key: String, value: ConfigValue)]

    /// Whether two grids have the same base, swept keys and values, and overrides, in the same order.
    public static func == (lhs: GridSpecification, rhs: GridSpecification) -> Bool {
        lhs.base == rhs.base
            && lhs.sweep.map(\.key) == rhs.sweep.map(\.key) && lhs.sweep.map(\.values) == rhs.sweep.map(\.values)
            && lhs.overrides.map(\.key) == rhs.overrides.map(\.key) && lhs.overrides.map(\.value) == rhs.overrides.map(\.value)
    }

    /// Reads a grid document; a `base_config` given as a path is read relative to `folder` (the grid file's).
    public init(document: ConfigValue, folder: URL) throws(ConfigurationError) {
        let top = try ConfigSection(document, path: "", known: Self.keys, labels: [:])
        switch top.raw("base_config") {
        case nil: base = .map([])
        case let .string(path)?:
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
            base = try ConfigDocument.read(url)
        case let .map(entries)?: base = .map(entries)
        case let other?:
            throw .wrongType(key: "base_config", expected: "a run configuration (a mapping) or the path of one", found: other.kindDescription)
        }
        sweep = []
        switch top.raw("sweep") {
        case nil: throw .emptyGrid(reason: "no `sweep` (give dotted keys with lists of values, e.g. model.width: [32, 64])")
        case let .map(entries)?:
            for (key, value) in entries {
                try Self.checkKnown(key, section: "sweep")
                guard case let .list(values) = value else {
                    throw .wrongType(key: "sweep.\(key)", expected: "a list of values", found: value.kindDescription)
                }
                guard !values.isEmpty else { throw .emptyGrid(reason: "sweep.\(key) has no values") }
                sweep.append((key, values))
            }
        case let other?: throw .wrongType(key: "sweep", expected: "a mapping of dotted keys to lists", found: other.kindDescription)
        }
        guard !sweep.isEmpty else { throw .emptyGrid(reason: "`sweep` names no key") }
        overrides = []
        switch top.raw("overrides") {
        case nil: break
        case let .map(entries)?:
            for (key, value) in entries {
                try Self.checkKnown(key, section: "overrides")
                guard !sweep.contains(where: { $0.key == key }) else {
                    throw .invalid(key: "overrides.\(key)", reason: "is also swept (give it in one place)")
                }
                overrides.append((key, value))
            }
        case let other?: throw .wrongType(key: "overrides", expected: "a mapping of dotted keys to values", found: other.kindDescription)
        }
    }

    /// Reads a grid file.
    public init(contentsOf url: URL) throws(ConfigurationError) {
        try self.init(document: ConfigDocument.read(url), folder: url.deletingLastPathComponent())
    }

    private static func checkKnown(_ key: String, section: String) throws(ConfigurationError) {
        guard RunConfiguration.isKnown(key) else {
            throw .unknownKey(key: "\(section).\(key)", known: RunConfiguration.knownKeys)
        }
    }

    /// The number of combinations.
    public var count: Int { sweep.reduce(1) { $0 * $1.values.count } }

    /// The swept keys in order.
    public var sweptKeys: [String] { sweep.map(\.key) }

    /// Every combination's settings (swept key → value, in key order), in grid order.
    public var combinations: [[(key: String, value: ConfigValue)]] {
        var result: [[(key: String, value: ConfigValue)]] = [[]]
        for (key, values) in sweep {
            result = result.flatMap { prefix in values.map { prefix + [(key: key, value: $0)] } }
        }
        return result
    }

    /// Every run, typed and checked (each combination's errors name the swept or overridden key), refusing more
    /// than `maxRuns` combinations before any is typed.
    public func runs(maxRuns: Int? = nil) throws(ConfigurationError) -> [GridRun] {
        if let maxRuns, count > maxRuns { throw .tooManyRuns(count: count, limit: maxRuns) }
        var labels: [String: String] = [:]
        for (key, _) in overrides { labels[key] = "overrides.\(key)" }
        for (key, _) in sweep { labels[key] = "sweep.\(key)" }
        var datasets: [String: CSVDataset] = [:]
        var runs: [GridRun] = []
        for settings in combinations {
            var document = base
            for (key, value) in overrides { document = document.setting(value, at: key) }
            for (key, value) in settings { document = document.setting(value, at: key) }
            let (configuration, dataset) = try Self.resolve(document, labels: labels, cache: &datasets)
            runs.append(GridRun(settings: settings, configuration: configuration, dataset: dataset))
        }
        return runs
    }

    /// Resolves one run, reading each data file once.
    private static func resolve(_ document: ConfigValue, labels: [String: String],
                                cache: inout [String: CSVDataset]) throws(ConfigurationError) -> (RunConfiguration, CSVDataset?) {
        let result = try RunConfiguration.resolve(document: document, labels: labels)
        if let path = result.0.data, let dataset = result.1 {
            if let cached = cache[path] { return (result.0, cached) }
            cache[path] = dataset
        }
        return result
    }
}

/// One run of a grid: its settings, its configuration and its run folder's name.
public struct GridRun: Sendable {
    /// Swept key → value, in the grid's key order.
    public var settings: [(key: String, value: ConfigValue)]
    /// The run's configuration (base, overrides, settings).
    public var configuration: RunConfiguration
    /// The configuration's data file, read.
    public var dataset: CSVDataset?

    /// `model.width=32 optimizer.lr_prefactor=0.01`: the settings as a dry run prints them.
    public var settingsLine: String { settings.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

    /// The run folder's name, derived from the settings alone (deterministic, filesystem-safe):
    /// `model.width=32_optimizer.lr_prefactor=0.01`. Characters other than letters, digits and `._=+-` become `-`,
    /// and then (or when the name would exceed 120 characters) a hash of the exact settings is appended, so two
    /// runs never share a folder.
    public var name: String { Self.name(settings) }

    /// See ``name``.
    public static func name(_ settings: [(key: String, value: ConfigValue)]) -> String {
        let raw = settings.map { "\($0.key)=\($0.value)" }.joined(separator: "_")
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._=+-_")
        var safe = String(raw.map { allowed.contains($0) ? $0 : "-" })
        if safe.hasPrefix(".") { safe = "-" + String(safe.dropFirst()) }
        guard safe != raw || safe.count > 120 else { return safe }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a of the exact settings
        for byte in raw.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return String(safe.prefix(100)) + "-" + String(hash, radix: 16)
    }
}
