import Foundation

/// Coord-check data recorded by anyone (PyTorch with `mup`, JAX, a logging hook of one's own), turned into our
/// ``CoordTable`` with an op graph ``Theory`` can judge: roles from a ``Declaration``, else from the names, else mup's
/// own Θ(1) rule.
public struct CoordImport: Sendable {
    /// At most this many op names are listed in a role-assignment note; the rest are counted.
    static let namesListed = 12

    /// The rows as read.
    public var source: ImportedRows
    /// The file name the data came from (for the report).
    public var fileName: String
    /// How each op is judged, in graph order (ignored ops included, with no descriptor).
    public var assignments: [RoleAssignment]
    /// The declaration used, if any.
    public var declaration: Declaration?
    /// The table in our tidy schema (statistics the file lacks are NaN; ignored ops dropped).
    public var table: CoordTable
    /// The statistic judged for sizes (`l1` or `rms`).
    public var statistic: CoordStatistic
    /// Declared exponents, or the µP target (no declaration, or `sp`).
    public var mode: TheoryMode

    /// Reads `text` (from a file named `path`) and assigns roles.
    ///
    /// - Parameters:
    ///   - statistic: the size statistic to judge (`l1` or `rms`); `nil`: `l1` when the file holds it, else `rms`.
    ///   - tOrigin: the file's step standing for initialization (`nil`: 1 for mup files, 0 for tidy ones).
    public init(csv text: String, path: String, declaration: Declaration? = nil, declarationPath: String = "declaration",
                statistic: String? = nil, tOrigin: Int? = nil) throws(CoordImportError) {
        let source: ImportedRows
        do { source = try ImportedRows(csv: text, path: path, tOrigin: tOrigin) } catch { throw .file(error) }
        let sizes = source.statistics.filter { !$0.measuresChange }
        let chosen: CoordStatistic
        if let statistic {
            let requested: CoordStatistic? = ["l1": .l1, "rms": .rms, "l2": .rms][statistic]
            guard let requested, sizes.contains(requested) else {
                throw .file(.unknownStatistic(path: path, requested: statistic, available: sizes.map(\.rawValue)))
            }
            chosen = requested
        } else {
            guard let first = sizes.first else {
                throw .file(.unknownStatistic(path: path, requested: "l1", available: sizes.map(\.rawValue)))
            }
            chosen = first
        }
        let assignments: [RoleAssignment]
        do {
            assignments = try RoleAssignment.assign(ops: source.ops, declaration: declaration, declarationPath: declarationPath)
        } catch { throw .declaration(error) }

        let kinds = Dictionary(uniqueKeysWithValues: assignments.compactMap { a in a.descriptor.map { (a.op, $0.kind) } })
        var rows: [CoordRow] = []
        rows.reserveCapacity(source.rows.count)
        for row in source.rows {
            guard let kind = kinds[row.op] else { continue }
            rows.append(CoordRow(axisValue: row.width, seed: row.seed, t: row.t, op: row.op, kind: kind,
                                 l1: row.values[0], rms: row.values[1], deltaRMS: row.values[2],
                                 mean: row.mean ?? (row.std == nil ? nil : .nan), std: row.std ?? (row.mean == nil ? nil : .nan)))
        }
        guard !rows.isEmpty else { throw .file(.noRows(path: path)) }
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let seeds = Array(Set(rows.map(\.seed))).sorted()
        let metadata = CoordTableMetadata(
            axis: .width, axisValues: source.widths, seeds: seeds, steps: rows.map(\.t).max() ?? 0,
            modelDescription: "imported from \(fileName)", parametrization: declaration?.parametrization.rawValue,
            optimizer: source.constants["optimizer"], learningRate: source.constants["lr"].flatMap(Double.init),
            ops: assignments.compactMap(\.descriptor))
        self.source = source
        self.fileName = fileName
        self.assignments = assignments
        self.declaration = declaration
        self.table = CoordTable(metadata: metadata, rows: rows)
        self.statistic = chosen
        self.mode = declaration == nil || declaration?.parametrization == .sp ? .muPTarget : .declared
    }

    /// The statistics judged: the chosen size, and the change since init when the file holds it.
    public var judgedStatistics: [CoordStatistic] {
        [statistic] + (source.statistics.contains(.deltaRMS) ? [.deltaRMS] : [])
    }

    /// Judges the table (see ``Diagnosis/judge(_:mode:policy:statistics:)``).
    public func slopeReport(policy: VerdictPolicy = .standard) -> SlopeReport {
        SlopeReport(table: table, mode: mode, policy: policy, statistics: judgedStatistics)
    }

    /// What the report says about the input: its format, the time origin, what was dropped or ignored, what a missing
    /// statistic means, and which rule judged each op and why.
    public var notes: [String] {
        var notes: [String] = []
        let seedText = source.format == .mup ? "seeds numbered by order of appearance per (width, module, t)" : "seeds from the `seed` column"
        notes.append("Input `\(fileName)`: \(source.format.title) format, \(source.rows.count) rows, widths "
            + source.widths.map(String.init).joined(separator: ", ") + ", \(table.seeds.count) seed\(table.seeds.count == 1 ? "" : "s") (\(seedText)).")
        notes.append(source.tOrigin == 0 ? "Steps: t = 0 in the file is initialization."
            : "Steps: the file counts t from \(source.tOrigin) (t = \(source.tOrigin) is the forward pass before any update); shifted so that t = 0 is initialization.")
        if source.droppedRootRows > 0 {
            notes.append("The root module (empty name, the whole model) was dropped (\(source.droppedRootRows) rows).")
        }
        if !source.ignoredColumns.isEmpty {
            notes.append("Columns not used: " + source.ignoredColumns.map { "`\($0)`" }.joined(separator: ", ") + ".")
        }
        if !source.varyingColumns.isEmpty {
            notes.append("Columns " + source.varyingColumns.map { "`\($0)`" }.joined(separator: ", ") + " change between rows but are not used"
                + (source.format == .mup ? ": rows that differ only there were counted as seeds of one run (split the file per value if they are separate runs)." : "."))
        }
        notes.append("Judged statistic: `\(statistic.rawValue)`" + (statistic == .rms && source.format == .mup ? " (mup's `l2`)" : "") + ".")
        if !source.statistics.contains(.deltaRMS) {
            notes.append("The file has no `delta_rms` (change since init): after training only the total size is judged, against "
                + "theory's after-training interval (between the init slope and −r = 0), not the change itself.")
        }
        switch (declaration, mode) {
        case (nil, _): notes.append("No declaration: roles from the names, judged against µP; ops without a role by mup's own rule.")
        case (let declaration?, .muPTarget):
            notes.append("Declared parametrization `\(declaration.parametrization.rawValue)`: judged against the µP target for each op's role.")
        case (let declaration?, _):
            notes.append("Declared parametrization `\(declaration.parametrization.rawValue)`: each role's exponents from its table, with the declared overrides.")
        }
        // Which rule judged each op, grouped by reason (in graph order).
        var groups: [(reason: String, ops: [String])] = []
        for assignment in assignments where assignment.descriptor != nil {
            if let index = groups.firstIndex(where: { $0.reason == assignment.reason }) {
                groups[index].ops.append(assignment.op)
            } else {
                groups.append((assignment.reason, [assignment.op]))
            }
        }
        for group in groups {
            let names = group.ops.prefix(Self.namesListed).map { "`\($0)`" }.joined(separator: ", ") + (group.ops.count > Self.namesListed ? ", … (\(group.ops.count) ops)" : "")
            notes.append("Judged by \(group.reason): \(names).")
        }
        let ignored = assignments.filter { $0.descriptor == nil }.map(\.op)
        if !ignored.isEmpty {
            notes.append("Ignored by the declaration (not judged, not plotted): " + ignored.map { "`\($0)`" }.joined(separator: ", ") + ".")
        }
        if let declaration {
            let unused = declaration.ops.enumerated().filter { index, _ in
                !assignments.contains { if case .declaration(_, let i) = $0.source { i == index } else { false } }
            }.map { "`\($0.element.match)`" }
            if !unused.isEmpty { notes.append("Declaration entries that match no op: \(unused.joined(separator: ", ")).") }
        }
        return notes
    }
}

/// Why imported data cannot be judged: the CSV or the declaration.
public enum CoordImportError: Error, Equatable, CustomStringConvertible {
    /// The CSV (or the statistic / time-origin options, ``ImportSetting``).
    case file(ImportError)
    /// The declaration.
    case declaration(DeclarationError)

    /// A message a user can act on.
    public var description: String { message { $0.rawValue.replacingOccurrences(of: "_", with: " ") } }

    /// The message with the reading options spelled by `name` (see ``ImportError/message(naming:)``).
    public func message(naming name: (ImportSetting) -> String) -> String {
        switch self {
        case let .file(error): error.message(naming: name)
        case let .declaration(error): error.description
        }
    }
}
