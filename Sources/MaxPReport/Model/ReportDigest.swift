import MaxPDiagnostics

/// The three lines every report opens with, so a reader can act without scrolling: what was checked, what is wrong
/// (root causes first, each with its fix), and what to do next (e.g. `add 2 seeds to decide readout at t = 0`).
public struct ReportDigest: Sendable, Equatable {
    /// What the run checked.
    public var checked: String
    /// What is wrong, root causes first with the fix, or `nothing: …`.
    public var wrong: String
    /// The next step.
    public var next: String

    /// Creates a digest.
    public init(checked: String, wrong: String, next: String) {
        self.checked = checked; self.wrong = wrong; self.next = next
    }

    /// Most root causes named on the `wrong` line.
    static let maxNamed = 3

    /// The digest of a coordinate check.
    public static func coordCheck(_ report: SlopeReport, run: RunDescription) -> ReportDigest {
        let axis = report.axis.rawValue
        let ops = orderedUnique(report.ops.map(\.op))
        let statistics = orderedUnique(report.ops.map(\.statistic.rawValue))
        let steps = orderedUnique(report.ops.map(\.t)).sorted()
        let seeds = report.seeds.count
        var scope = "\(axis) \(range(report.values))"
        if seeds > 0 { scope += ", \(seeds) seed\(seeds == 1 ? "" : "s")" }
        if let first = steps.first, let last = steps.last {
            scope += first == last ? ", step \(first)" : ", steps \(first)–\(last)"
        }
        let parametrization = FigureText.parametrizationName(report.parametrization ?? run.parametrization ?? "")
        let theory: String = switch report.mode {
        case _ where report.axis == .depth:
            run.settings.first { $0.name == "depth-alpha" }.map { "what depth-µP's theory predicts for α = \($0.value)" }
                ?? "what the depth theory predicts without depth-µP (α = 0)"
        case .muPTarget: "the µP target for each op's role (\(parametrization.isEmpty ? "the model" : parametrization) declares no \(axis) scaling)"
        case .declared: parametrization.isEmpty ? "what the declared exponents predict" : "what \(parametrization)'s exponents predict"
        }
        let checked = "how the size (\(statistics.joined(separator: ", "))) of each of \(ops.count) ops scales with "
            + "\(scope), against \(theory)."

        // Root causes: the earliest flagged entry of each op whose deviation is its own.
        let deviating = report.ops.filter { $0.verdict.isDeviation }.sorted { ($0.t, $0.op) < ($1.t, $1.op) }
        var causes: [SlopeReport.Entry] = []
        for entry in deviating where entry.inheritedFrom == nil && !causes.contains(where: { $0.op == entry.op }) {
            causes.append(entry)
        }
        let inheriting = orderedUnique(deviating.filter { $0.inheritedFrom != nil }.map(\.op))
            .filter { op in !causes.contains { $0.op == op } }
        let inconclusive = report.ops.filter { $0.verdict == .inconclusive }
        let unjudged = report.ops.filter { $0.verdict == .unjudged }.count
        let wrong: String
        if causes.isEmpty {
            let judged = report.ops.count - inconclusive.count - unjudged
            let more = [inconclusive.isEmpty ? nil : "\(inconclusive.count) more are inconclusive",
                        unjudged == 0 ? nil : "\(unjudged) unjudged: no rule applies"].compactMap { $0 }
            wrong = "nothing: all \(judged) judged slopes agree with theory"
                + (more.isEmpty ? "." : " (\(more.joined(separator: ", "))).")
        } else {
            var items = causes.prefix(maxNamed).map(cause)
            if causes.count > maxNamed { items.append("\(causes.count - maxNamed) more root cause\(causes.count - maxNamed == 1 ? "" : "s") in the table") }
            wrong = items.joined(separator: "; ")
                + (inheriting.isEmpty ? "" : "; \(inheriting.count) op\(inheriting.count == 1 ? "" : "s") downstream only inherit\(inheriting.count == 1 ? "s" : "") this")
                + "."
        }
        let next: String
        if !causes.isEmpty {
            next = "apply the fix\(causes.count == 1 ? "" : "es") above and run the check again"
                + (inconclusive.isEmpty ? "." : "; then decide the \(inconclusive.count) inconclusive slope\(inconclusive.count == 1 ? "" : "s").")
        } else if !inconclusive.isEmpty {
            next = decide(inconclusive, seeds: seeds, axis: axis)
        } else {
            next = "nothing to fix; keep this run's slopes.json as the baseline the CI gate compares with."
        }
        return ReportDigest(checked: checked, wrong: wrong, next: next)
    }

    /// `` `op` grows at t = 0 (measured +0.00, expected -0.50): <fix> ``.
    static func cause(_ entry: SlopeReport.Entry) -> String {
        var text = "`\(entry.op)` \(entry.verdict.rawValue) at t = \(entry.t)"
        if let slope = entry.slope {
            text += " (measured \(FigureText.signed(slope))" + (entry.expected.map { ", expected \(FigureText.signed($0))" } ?? "") + ")"
        }
        return entry.message.isEmpty ? text : "\(text): \(MarkdownText.inline(entry.message))"
    }

    /// What would decide the inconclusive entries: more seeds (the largest number any of them needs), more
    /// axis values, or a lower learning rate where the loss jumped.
    static func decide(_ inconclusive: [SlopeReport.Entry], seeds: Int, axis: String) -> String {
        let sorted = inconclusive.sorted { ($0.t, $0.op) < ($1.t, $1.op) }
        func names(_ entries: [SlopeReport.Entry]) -> String {
            var seen: [String] = []
            for entry in entries where !seen.contains("`\(entry.op)` at t = \(entry.t)") { seen.append("`\(entry.op)` at t = \(entry.t)") }
            let shown = seen.prefix(2).joined(separator: " and ")
            return seen.count > 2 ? "\(shown) and \(seen.count - 2) more" : shown
        }
        let bySeeds = sorted.filter { $0.seedsNeeded != nil }
        if let needed = bySeeds.compactMap(\.seedsNeeded).max() {
            let extra = max(1, needed - max(seeds, bySeeds.map(\.seeds).max() ?? 0))
            var text = "add \(extra) seed\(extra == 1 ? "" : "s") (\(needed) in all) to decide \(names(bySeeds))"
            if let doublings = bySeeds.compactMap(\.widthDoublingsNeeded).max() {
                text += ", or sweep \(doublings) more doubling\(doublings == 1 ? "" : "s") of \(axis)"
            }
            return text + "."
        }
        if sorted.contains(where: \.lossJumped) {
            return "lower the learning rate (the loss jumps) or judge an earlier step to decide \(names(sorted))."
        }
        return "add seeds or \(axis) values to decide \(names(sorted))."
    }

    /// The digest of a learning-rate transfer run.
    public static func lrTransfer(_ report: LRTransferReport) -> ReportDigest {
        let labels = report.parametrizations.isEmpty ? [report.primary.parametrization] : report.parametrizations
        let summaries = labels.map { report.byParametrization[$0] ?? report.primary }
        let names = summaries.map { FigureText.parametrizationName($0.parametrization) }
        let first = summaries.first ?? report.primary
        let lrs = first.lrs
        let checked = "whether the optimal learning rate moves with width for \(list(names)) (widths \(range(first.widths)), "
            + "\(lrs.count) learning rate\(lrs.count == 1 ? "" : "s") from \(FigureText.number(lrs.min())) to \(FigureText.number(lrs.max())))."
        var problems: [String] = []
        var fine: [String] = []
        var next: [String] = []
        for summary in summaries {
            let name = FigureText.parametrizationName(summary.parametrization)
            let expectsTransfer = summary.parametrization.lowercased() != "sp"
            let shape = summary.driftExponent.map { " (lr* ∝ width^\(FigureText.signed($0)))" } ?? ""
            switch summary.verdict {
            case .transfers:
                fine.append(expectsTransfer ? "\(name)'s optimum transfers\(shape)" : "\(name)'s optimum does not shift here\(shape)")
            case .shifts:
                if expectsTransfer {
                    problems.append("\(name)'s optimum shifts with width\(shape): check the per-layer learning-rate exponents c")
                } else {
                    fine.append("\(name)'s optimum shifts\(shape), as expected without µP")
                }
            case let .inconclusive(.optimumAtGridEdge(below, above)):
                let widths = (below + above).sorted().map(String.init).joined(separator: ", ")
                problems.append("\(name): the optimum lies beyond the learning-rate grid for width \(widths)")
                if !below.isEmpty { next.append("extend \(name)'s grid below \(FigureText.number(summary.lrs.first))") }
                if !above.isEmpty { next.append("extend \(name)'s grid above \(FigureText.number(summary.lrs.last))") }
            case .inconclusive(.tooFewOptima):
                problems.append("\(name): fewer than two widths have an optimum inside the grid")
                next.append("widen the learning-rate grid for \(name)")
            case let .inconclusive(.intervalTooWide(seeds)):
                problems.append("\(name): cannot tell whether the optimum moves\(shape) — its interval straddles the ±\(FigureText.number(LRTransferPolicy.standard.equivalenceMargin)) band")
                next.append(seeds.map { "run \(name) with \($0) seeds" } ?? "add widths for \(name)")
            }
            if !summary.widerIsBetterViolations.isEmpty {
                problems.append("\(name): a wider model ended worse at \(summary.widerIsBetterViolations.count) learning "
                    + "rate\(summary.widerIsBetterViolations.count == 1 ? "" : "s") near the optimum (wider is always better fails)")
            }
        }
        let wrong = problems.isEmpty ? "nothing: " + fine.joined(separator: "; ") + "."
            : problems.joined(separator: "; ") + (fine.isEmpty ? "." : " (" + fine.joined(separator: "; ") + ").")
        if next.isEmpty {
            if let transferring = summaries.first(where: { $0.parametrization.lowercased() != "sp" && $0.verdict == .transfers }),
               let width = transferring.widths.first, let lr = transferring.optimum[String(width)] {
                next.append("tune the learning rate at the smallest width and reuse it at every width under "
                    + "\(FigureText.parametrizationName(transferring.parametrization)) (here lr* ≈ \(FigureText.number(lr)) at width \(width))")
            } else {
                next.append("fix the parametrization and run the sweep again")
            }
        }
        return ReportDigest(checked: checked, wrong: wrong, next: next.joined(separator: "; ") + ".")
    }

    static func range(_ values: [Int]) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        return low == high ? "\(low)" : "\(low)–\(high)"
    }

    static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    static func orderedUnique<T: Hashable>(_ values: [T]) -> [T] {
        var seen = Set<T>()
        return values.filter { seen.insert($0).inserted }
    }
}
