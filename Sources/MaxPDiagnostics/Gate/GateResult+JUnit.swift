extension GateResult {
    /// A JUnit-style XML report: one `<testsuite name="maxp-gate">` with one `<testcase>` per baseline
    /// (op, t, statistic) — `classname` the op, `name` `t=… statistic` — and a `<failure>` per regression.
    /// Text and attributes are XML-escaped.
    public func junitXML(suiteName: String = "maxp-gate") -> String {
        let failures = checks.filter { !$0.regressions.isEmpty }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites tests=\"\(checks.count)\" failures=\"\(failures)\">\n"
        xml += "  <testsuite name=\"\(XMLEscaping.escape(suiteName))\" tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        xml += "    <properties><property name=\"tolerance\" value=\"\(tolerance)\"/></properties>\n"
        for check in checks {
            let name = "t=\(check.key.t) \(check.key.statistic.rawValue)"
            let open = "    <testcase classname=\"\(XMLEscaping.escape(check.key.op))\" name=\"\(XMLEscaping.escape(name))\""
            if check.regressions.isEmpty {
                xml += open + "/>\n"
                continue
            }
            xml += open + ">\n"
            for regression in check.regressions {
                xml += "      <failure type=\"\(regression.reason.rawValue)\" message=\"\(XMLEscaping.escape(regression.summary))\">"
                xml += XMLEscaping.escape(regression.summary) + "</failure>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// The ops with at least one regression, in the order they first fail.
    public var failingOps: [String] {
        var seen = Set<String>()
        return regressions.map(\.op).filter { seen.insert($0).inserted }
    }

    /// A plain-text, tab-separated table of the regressions for the terminal: a status line, a header
    /// `op t statistic baseline current delta expected verdict reason`, one line per regression, and a closing
    /// line naming the failing ops.
    public func regressionTable() -> String {
        let theory = checksTheory ? ", theory check on" : ", baseline only"
        guard !passed else {
            let verdicts = checksTheory ? "; no op grows or shrinks against theory" : ""
            return "gate passed: \(checks.count) slopes within ±\(tolerance) of the baseline\(verdicts)\n"
        }
        let ops = failingOps
        var text = "gate FAILED: \(regressions.count) regression(s) in \(ops.count) op(s) (tolerance ±\(tolerance)\(theory))\n"
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

/// XML text escaping.
enum XMLEscaping {
    /// Escapes `& < > " '` and drops control characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
