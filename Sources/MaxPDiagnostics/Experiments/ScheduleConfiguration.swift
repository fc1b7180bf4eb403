import MaxP

/// The learning-rate schedule of a run as configured (the `schedule` section): one of the core's ``Schedule``
/// values, and for `wsd` the freeze of the per-layer rates after its stable phase (``PrefactorSchedule``).
///
/// ```yaml
/// schedule: {type: wsd, warmup: 2, stable: 6, decay: 4, shape: cosine, min_factor: 0.1,
///            chain: [{type: step_decay, every: 3, gamma: 0.5}]}
/// ```
public indirect enum SchedulePart: Sendable, Equatable {
    /// Factor 1 at every step.
    case constant
    /// Warmup–stable–decay (``Schedule/warmupStableDecay(warmup:stable:decay:shape:minFactor:)``); at the top level
    /// the per-layer rates freeze after `warmup + stable` updates.
    case wsd(warmup: Int, stable: Int, decay: Int, shape: Schedule.DecayShape, minFactor: Double)
    /// Linear warmup from `startFactor` to 1 over `steps`.
    case linearWarmup(steps: Int, startFactor: Double)
    /// Cosine annealing from 1 to `minFactor` over `steps`.
    case cosine(steps: Int, minFactor: Double)
    /// × `gamma` every `every` steps.
    case stepDecay(every: Int, gamma: Double)
    /// `parts[i]` between `boundaries[i-1]` and `boundaries[i]`, each restarted at its segment's first step.
    case joined(parts: [SchedulePart], boundaries: [Int])

    /// The `type` names, in the order messages list them.
    public static let typeNames = ["constant", "wsd", "linear_warmup", "cosine", "step_decay", "joined"]

    /// The keys of each type (besides `type`).
    static func keys(of type: String) -> [String] {
        switch type {
        case "wsd": ["warmup", "stable", "decay", "shape", "min_factor"]
        case "linear_warmup": ["steps", "start_factor"]
        case "cosine": ["steps", "min_factor"]
        case "step_decay": ["every", "gamma"]
        case "joined": ["parts", "boundaries"]
        default: []
        }
    }

    /// Reads a part at `path` (a mapping with `type`; `extra` keys are allowed and left to the caller).
    static func read(_ value: ConfigValue?, path: String, extra: [String] = [], labels: [String: String]) throws(ConfigurationError) -> SchedulePart {
        let typeKey = path.isEmpty ? "type" : path + ".type"
        let type: String
        switch value?["type"] {
        case nil, .null?: type = "constant"
        case let .string(name)? where typeNames.contains(name): type = name
        case let other?: throw .wrongType(key: labels[typeKey] ?? typeKey, expected: "one of \(typeNames.joined(separator: ", "))", found: other.kindDescription)
        }
        let section = try ConfigSection(value: value, path: path, known: ["type"] + keys(of: type) + extra, labels: labels)
        func required(_ key: String) throws(ConfigurationError) -> Int {
            guard let value = try section.optionalInteger(key) else {
                throw .missing(key: section.label(key), reason: "a \(type) schedule needs \(keys(of: type).prefix(type == "step_decay" ? 2 : 1).joined(separator: " and "))")
            }
            return value
        }
        func factor(_ key: String, _ fallback: Double) throws(ConfigurationError) -> Double {
            let value = try section.number(key, fallback)
            guard value >= 0 else { throw .invalid(key: section.label(key), reason: "must be at least 0, got \(value)") }
            return value
        }
        let part: SchedulePart
        switch type {
        case "wsd":
            part = .wsd(warmup: try section.integer("warmup", minimum: 0, 0), stable: try section.integer("stable", minimum: 0, 0),
                        decay: try required("decay"), shape: try section.choice("shape", Schedule.DecayShape.allCases, .cosine),
                        minFactor: try factor("min_factor", 0))
        case "linear_warmup": part = .linearWarmup(steps: try required("steps"), startFactor: try factor("start_factor", 0))
        case "cosine": part = .cosine(steps: try required("steps"), minFactor: try factor("min_factor", 0))
        case "step_decay":
            guard let gamma = try section.optionalNumber("gamma") else {
                throw .missing(key: section.label("gamma"), reason: "a step_decay schedule needs every and gamma")
            }
            part = .stepDecay(every: try required("every"), gamma: gamma)
        case "joined":
            let partsKey = section.dotted("parts")
            guard case let .list(values)? = section.raw("parts"), !values.isEmpty else {
                throw .missing(key: section.label("parts"), reason: "a joined schedule needs a list of parts")
            }
            var parts: [SchedulePart] = []
            for (index, value) in values.enumerated() {
                parts.append(try read(value, path: "\(partsKey).\(index)", labels: labels))
            }
            var boundaries: [Int] = []
            switch section.raw("boundaries") {
            case nil: break
            case let .list(values)?:
                for value in values {
                    guard case let .integer(boundary) = value else {
                        throw .wrongType(key: section.label("boundaries"), expected: "a list of whole numbers", found: value.kindDescription)
                    }
                    boundaries.append(boundary)
                }
            case let other?: throw .wrongType(key: section.label("boundaries"), expected: "a list of whole numbers", found: other.kindDescription)
            }
            part = .joined(parts: parts, boundaries: boundaries)
        default: part = .constant
        }
        do { _ = try part.schedule() } catch { throw .invalid(key: labels[path] ?? (path.isEmpty ? "schedule" : path), reason: error.description) }
        return part
    }

    /// The core schedule (factor per step).
    public func schedule() throws(ScheduleError) -> Schedule {
        switch self {
        case .constant: return .constant
        case let .wsd(warmup, stable, decay, shape, minFactor):
            return try .warmupStableDecay(warmup: warmup, stable: stable, decay: decay, shape: shape, minFactor: minFactor)
        case let .linearWarmup(steps, startFactor): return try .linearWarmup(steps: steps, startFactor: startFactor)
        case let .cosine(steps, minFactor): return try .cosine(steps: steps, minFactor: minFactor)
        case let .stepDecay(every, gamma): return try .stepDecay(every: every, gamma: gamma)
        case let .joined(parts, boundaries):
            var schedules: [Schedule] = []
            for part in parts { schedules.append(try part.schedule()) }
            return try .joined(schedules, boundaries: boundaries)
        }
    }

    /// The resolved form (every key of the type, defaults filled).
    public var value: ConfigValue {
        switch self {
        case .constant: return .map([("type", .string("constant"))])
        case let .wsd(warmup, stable, decay, shape, minFactor):
            return .map([("type", .string("wsd")), ("warmup", .integer(warmup)), ("stable", .integer(stable)), ("decay", .integer(decay)),
                         ("shape", .string(shape.rawValue)), ("min_factor", .number(minFactor))])
        case let .linearWarmup(steps, startFactor):
            return .map([("type", .string("linear_warmup")), ("steps", .integer(steps)), ("start_factor", .number(startFactor))])
        case let .cosine(steps, minFactor):
            return .map([("type", .string("cosine")), ("steps", .integer(steps)), ("min_factor", .number(minFactor))])
        case let .stepDecay(every, gamma):
            return .map([("type", .string("step_decay")), ("every", .integer(every)), ("gamma", .number(gamma))])
        case let .joined(parts, boundaries):
            return .map([("type", .string("joined")), ("parts", .list(parts.map(\.value))), ("boundaries", .list(boundaries.map { .integer($0) }))])
        }
    }
}

/// The `schedule` section: a base ``SchedulePart`` and the schedules chained onto it (their factors multiply; a
/// `wsd` base keeps its freeze step), as the controller's ``PrefactorSchedule``.
public struct ScheduleConfiguration: Sendable, Equatable {
    /// The base schedule.
    public var base: SchedulePart
    /// External schedules multiplied in (`chain`).
    public var chain: [SchedulePart]

    /// A schedule (constant by default).
    public init(base: SchedulePart = .constant, chain: [SchedulePart] = []) {
        self.base = base
        self.chain = chain
    }

    /// Reads the `schedule` section of `document`.
    init(document: ConfigValue, labels: [String: String]) throws(ConfigurationError) {
        let value = document["schedule"]
        if let value, value != .null, value.entries == nil {
            throw .wrongType(key: labels["schedule"] ?? "schedule", expected: "a mapping with a type", found: value.kindDescription)
        }
        base = try SchedulePart.read(value, path: "schedule", extra: ["chain"], labels: labels)
        chain = []
        switch value?["chain"] {
        case nil, .null?: break
        case let .list(values)?:
            for (index, part) in values.enumerated() {
                chain.append(try SchedulePart.read(part, path: "schedule.chain.\(index)", labels: labels))
            }
        case let other?: throw .wrongType(key: labels["schedule.chain"] ?? "schedule.chain", expected: "a list of schedules", found: other.kindDescription)
        }
    }

    /// The controller's schedule: a `wsd` base freezes the per-layer rates after its stable phase.
    public func prefactorSchedule() throws(ScheduleError) -> PrefactorSchedule {
        var result: PrefactorSchedule
        if case let .wsd(warmup, stable, decay, shape, minFactor) = base {
            result = try .warmupStableDecay(warmup: warmup, stable: stable, decay: decay, shape: shape, minFactor: minFactor)
        } else {
            result = try PrefactorSchedule(base.schedule())
        }
        for part in chain { result = result.chained(with: try part.schedule()) }
        return result
    }

    /// The resolved form: the base's keys and `chain`.
    public var value: ConfigValue {
        guard case var .map(entries) = base.value else { return base.value }
        entries.append(("chain", .list(chain.map(\.value))))
        return .map(entries)
    }
}
