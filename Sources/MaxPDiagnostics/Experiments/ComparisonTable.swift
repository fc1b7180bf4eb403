/// A comparison as data files: `compare.csv`, the best setting of every experiment in every group (the report's
/// table), and `candidates.csv`, every setting with its mean final metric.
extension Comparison {
    /// `compare.csv`: header `experiment,<group keys…>,status,<setting keys…>,seeds,final_<metric>,
    /// final_<metric>_min,final_<metric>_max,runs`; one row per group and experiment, in group order; `status` is
    /// `ok`, `diverged` (every setting had a diverged seed: no pick) or `no_runs`; `runs` lists the picked runs
    /// separated by `;`.
    public func bestCSV() -> String {
        var lines = [(["experiment"] + groupKeys + ["status"] + settingKeys
            + ["seeds", "final_\(metric)", "final_\(metric)_min", "final_\(metric)_max", "runs"]).map(Self.field).joined(separator: ",")]
        for group in groups {
            for entry in group.entries {
                var row = [entry.experiment] + group.values.map(\.description)
                guard let best = entry.best else {
                    let status: String
                    if case .allDiverged = entry.pick { status = "diverged" } else { status = "no_runs" }
                    row += [status] + settingKeys.map { _ in "" } + ["0", "", "", "", ""]
                    lines.append(row.map(Self.field).joined(separator: ","))
                    continue
                }
                let finals = best.finals.compactMap { $0 }
                row += ["ok"] + settingKeys.map { best.settings[$0]?.description ?? "" }
                row += [String(best.runs.count), Self.number(best.meanFinal), Self.number(finals.min()),
                        Self.number(finals.max()), best.runNames.joined(separator: ";")]
                lines.append(row.map(Self.field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `candidates.csv`: header `experiment,<group keys…>,<setting keys…>,seeds,diverged_seeds,final_<metric>,
    /// picked,runs`; one row per setting (its seeds averaged); `final_<metric>` is empty when a seed diverged.
    public func candidatesCSV() -> String {
        var lines = [(["experiment"] + groupKeys + settingKeys
            + ["seeds", "diverged_seeds", "final_\(metric)", "picked", "runs"]).map(Self.field).joined(separator: ",")]
        for group in groups {
            for entry in group.entries {
                for (index, candidate) in entry.candidates.enumerated() {
                    var picked = false
                    if case let .best(chosen, _, _) = entry.pick { picked = chosen == index }
                    let row = [entry.experiment] + group.values.map(\.description)
                        + settingKeys.map { candidate.settings[$0]?.description ?? "" }
                        + [String(candidate.runs.count), String(candidate.finals.filter { $0 == nil }.count),
                           Self.number(candidate.meanFinal), picked ? "true" : "false",
                           candidate.runNames.joined(separator: ";")]
                    lines.append(row.map(Self.field).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A number in Swift's shortest round-trip form, or empty.
    static func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }

    /// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
