import _MaxPSupport

extension GateResult {
    /// The checks that failed: those with at least one regression (one JUnit `<failure>` each).
    public var failedChecks: [GateCheck] { checks.filter { !$0.regressions.isEmpty } }

    /// The checks that passed the comparison but whose current verdict is `inconclusive` (JUnit `<skipped>`: the data
    /// could not decide them, so they are neither a pass nor a failure).
    public var inconclusiveChecks: [GateCheck] {
        checks.filter { $0.regressions.isEmpty && $0.currentVerdict == .inconclusive }
    }

    /// A JUnit XML report, valid against the common JUnit schema: `<testsuites>` holding one
    /// `<testsuite name="maxp-gate">` with one `<testcase>` per check (op, t, statistic) — `classname` the op, `name`
    /// `t=… statistic`, `time` in seconds. A failed check holds exactly ONE `<failure>` whose `type` lists the
    /// reasons (`slope_changed,theory`) and whose message joins every regression's summary; a check whose current
    /// verdict is inconclusive holds `<skipped>`. The `tests`, `failures` and `skipped` counts are those of
    /// ``checks``, ``failedChecks`` and ``inconclusiveChecks`` — the numbers ``regressionTable()`` prints.
    /// `seconds` is the time the gate took (the comparison itself is instantaneous: each testcase reports 0);
    /// `axis` is the swept axis (the advice of a skipped check names its values). Text and attributes are XML-escaped.
    public func junitXML(suiteName: String = "maxp-gate", seconds: Double = 0, axis: SweepAxis = .width) -> String {
        let failures = failedChecks.count
        let skipped = inconclusiveChecks.count
        let time = Self.seconds(seconds)
        let counts = "tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(time)\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(XMLText.escaped(suiteName))\" \(counts)>\n"
        xml += "  <testsuite name=\"\(XMLText.escaped(suiteName))\" \(counts)>\n"
        xml += "    <properties>\n"
        xml += "      <property name=\"tolerance\" value=\"\(tolerance)\"/>\n"
        xml += "      <property name=\"theory_check\" value=\"\(checksTheory ? "on" : "off")\"/>\n"
        xml += "    </properties>\n"
        for check in checks {
            let name = "t=\(check.key.t) \(check.key.statistic.rawValue)"
            let open = "    <testcase classname=\"\(XMLText.escaped(check.key.op))\" name=\"\(XMLText.escaped(name))\" time=\"0\""
            if !check.regressions.isEmpty {
                var reasons: [String] = []
                for regression in check.regressions where !reasons.contains(regression.reason.rawValue) {
                    reasons.append(regression.reason.rawValue)
                }
                let summaries = check.regressions.map(\.summary)
                xml += open + ">\n"
                xml += "      <failure type=\"\(XMLText.escaped(reasons.joined(separator: ",")))\" "
                    + "message=\"\(XMLText.escaped(summaries.joined(separator: "; ")))\">"
                    + XMLText.escaped(summaries.joined(separator: "\n")) + "</failure>\n"
                xml += "    </testcase>\n"
            } else if check.currentVerdict == .inconclusive {
                let message = VerdictProse.inconclusiveCheck(check.key, axis: axis)
                xml += open + ">\n"
                xml += "      <skipped message=\"\(XMLText.escaped(message))\"/>\n"
                xml += "    </testcase>\n"
            } else {
                xml += open + "/>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Seconds as JUnit writes them: a plain non-negative decimal with millisecond resolution (`0`, `1.25`).
    static func seconds(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return "0" }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The ops with at least one regression, in the order they first fail.
    public var failingOps: [String] {
        var seen = Set<String>()
        return regressions.map(\.op).filter { seen.insert($0).inserted }
    }

    /// A plain-text, tab-separated table of the regressions for the terminal: a status line whose counts are the
    /// JUnit report's (`gate FAILED: 21 of 57 checks failed …`), a header
    /// `op t statistic baseline current delta expected verdict reason`, one line per regression (a failed check can
    /// have several), and a closing line naming the failing ops.
    public func regressionTable() -> String {
        let theory = checksTheory ? ", theory check on" : ", baseline only"
        let skipped = inconclusiveChecks.count
        let skippedText = skipped == 0 ? "" : "; \(skipped) inconclusive check\(skipped == 1 ? "" : "s") skipped"
        guard !passed else {
            let verdicts = checksTheory ? "; no op grows or shrinks against theory" : ""
            return "gate passed: \(checks.count) check\(checks.count == 1 ? "" : "s"), every slope within ±\(tolerance) "
                + "of the baseline\(verdicts)\(skippedText)\n"
        }
        let ops = failingOps
        let failed = failedChecks.count
        var text = "gate FAILED: \(failed) of \(checks.count) check\(checks.count == 1 ? "" : "s") failed "
            + "(\(regressions.count) regression\(regressions.count == 1 ? "" : "s") in \(ops.count) op\(ops.count == 1 ? "" : "s"); "
            + "tolerance ±\(tolerance)\(theory))\(skippedText)\n"
        text += "op\tt\tstatistic\tbaseline\tcurrent\tdelta\texpected\tverdict\treason\n"
        func number(_ value: Double?) -> String { value.map { Diagnosis.signed($0) } ?? "-" }
        for regression in regressions {
            let verdict = regression.currentVerdict.map { verdict in
                regression.inheritedFrom.map { "\(verdict.rawValue) (from \($0))" } ?? verdict.rawValue
            } ?? "-"
            text += "\(regression.op)\t\(regression.t)\t\(regression.statistic.rawValue)\t\(number(regression.baseline))\t"
                + "\(number(regression.current))\t\(number(regression.delta))\t\(number(regression.expected))\t"
                + "\(verdict)\t\(regression.reason.rawValue)\n"
        }
        text += "failing ops: \(ops.joined(separator: ", "))\n"
        return text
    }
}
