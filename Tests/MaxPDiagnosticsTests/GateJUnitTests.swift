import CLibXML2
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import _MaxPTestSupport
@testable import MaxPDiagnostics

/// Validates XML against an XML Schema with libxml2 (the validator behind `xmllint --schema`) and collects its
/// messages.
enum SchemaValidator {
    final class Messages { var lines: [String] = [] }

    /// The schema errors of `xml` against the XSD at `schema` (empty: valid).
    static func errors(of xml: String, schema: URL) -> [String] {
        xmlInitParser()
        guard let parserContext = xmlSchemaNewParserCtxt(schema.path) else { return ["cannot read \(schema.path)"] }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let compiled = xmlSchemaParse(parserContext) else { return ["\(schema.path) is not a valid XML Schema"] }
        defer { xmlSchemaFree(compiled) }
        guard let validation = xmlSchemaNewValidCtxt(compiled) else { return ["no validation context"] }
        defer { xmlSchemaFreeValidCtxt(validation) }
        let messages = Messages()
        let context = Unmanaged.passUnretained(messages).toOpaque()
        xmlSchemaSetValidStructuredErrors(validation, { context, error in
            guard let context, let error, let text = error.pointee.message else { return }
            let messages = Unmanaged<Messages>.fromOpaque(context).takeUnretainedValue()
            messages.lines.append("line \(error.pointee.line): " + String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines))
        }, context)
        let bytes = Array(xml.utf8)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), "gate.xml", nil, Int32(XML_PARSE_NONET.rawValue))
            }
        }
        guard let document else { return ["not well-formed XML"] }
        defer { xmlFreeDoc(document) }
        let status = withExtendedLifetime(messages) { xmlSchemaValidateDoc(validation, document) }
        return status == 0 ? [] : (messages.lines.isEmpty ? ["invalid (status \(status))"] : messages.lines)
    }
}

@Suite("Gate JUnit report")
struct GateJUnitTests {
    static let schema = TestFixtures.packageRoot().appendingPathComponent("Tests/Fixtures/junit/junit.xsd")

    /// A gate result with a check failing twice (slope moved AND grows against theory), an inconclusive check, and
    /// passing checks.
    static func result() -> GateResult {
        let baseline = SlopeReportGateTests.report()
        var current = SlopeReportGateTests.report(readoutSlope: 0)
        let k = current.ops.firstIndex { $0.op != "readout" && $0.verdict == .ok }!
        current.ops[k].verdict = .inconclusive
        return Gate.compare(current: current, baseline: baseline)
    }

    /// Per testcase: its outcome children; plus the suite's attributes.
    final class Outline: NSObject, XMLParserDelegate {
        var suite: [String: String] = [:]
        var suites: [String: String] = [:]
        var cases: [(attributes: [String: String], children: [String])] = []
        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch element {
            case "testsuites": suites = attributes
            case "testsuite": suite = attributes
            case "testcase": cases.append((attributes, []))
            case "failure", "error", "skipped": cases[cases.count - 1].children.append(element)
            default: break
            }
        }
    }

    static func outline(_ xml: String) throws -> Outline {
        let parser = XMLParser(data: Data(xml.utf8))
        let outline = Outline()
        parser.delegate = outline
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        return outline
    }

    @Test("the XML is valid against the JUnit schema; the schema rejects two failures in one testcase")
    func validAgainstSchema() throws {
        let result = Self.result()
        #expect(result.checks.contains { $0.regressions.count == 2 })
        let xml = result.junitXML(seconds: 1.25)
        let errors = SchemaValidator.errors(of: xml, schema: Self.schema)
        #expect(errors.isEmpty, "\(errors.joined(separator: "\n"))")
        // The validator is not a rubber stamp: the old layout (two <failure> in a testcase, no time) fails it.
        let doubled = xml.replacingOccurrences(of: "</failure>", with: "</failure><failure message=\"again\"/>")
        #expect(!SchemaValidator.errors(of: doubled, schema: Self.schema).isEmpty)
        let untimed = xml.replacingOccurrences(of: " time=\"0\"", with: "")
        #expect(!SchemaValidator.errors(of: untimed, schema: Self.schema).isEmpty)
    }

    @Test("one <failure> per failed testcase holding every reason, <skipped> for inconclusive, counts as on stdout")
    func countsAgree() throws {
        let result = Self.result()
        let outline = try Self.outline(result.junitXML(seconds: 1.25))
        #expect(outline.cases.count == result.checks.count)
        #expect(outline.cases.allSatisfy { $0.children.count <= 1 && $0.attributes["time"] == "0" })
        let failed = outline.cases.filter { $0.children == ["failure"] }.count
        let skipped = outline.cases.filter { $0.children == ["skipped"] }.count
        #expect(failed == result.failedChecks.count && failed > 0)
        #expect(skipped == 1 && result.inconclusiveChecks.count == 1)
        for attributes in [outline.suite, outline.suites] {
            #expect(attributes["tests"] == String(result.checks.count))
            #expect(attributes["failures"] == String(failed))
            #expect(attributes["skipped"] == String(skipped))
            #expect(attributes["errors"] == "0")
            #expect(attributes["time"] == "1.25")
        }
        // The terminal says the same numbers.
        let status = result.regressionTable().split(separator: "\n")[0]
        #expect(status.hasPrefix("gate FAILED: \(failed) of \(result.checks.count) checks failed ("), "\(status)")
        #expect(status.contains("\(result.regressions.count) regressions in 1 op"))
        #expect(status.hasSuffix("; 1 inconclusive check skipped"))
        // The merged failure names both reasons and both summaries.
        let xml = result.junitXML()
        #expect(xml.contains("<failure type=\"slope_changed,theory\""))
        let twice = try #require(result.checks.first { $0.regressions.count == 2 })
        #expect(xml.contains(XMLText.escaped(twice.regressions.map(\.summary).joined(separator: "; "))))
    }

    @Test("a passing gate: no failures, the inconclusive checks skipped, seconds written as JUnit decimals")
    func passing() throws {
        var current = SlopeReportGateTests.report()
        current.ops[0].verdict = .inconclusive
        let result = Gate.compare(current: current, baseline: SlopeReportGateTests.report())
        #expect(result.passed)
        let xml = result.junitXML()
        #expect(SchemaValidator.errors(of: xml, schema: Self.schema).isEmpty)
        let outline = try Self.outline(xml)
        #expect(outline.suite["failures"] == "0" && outline.suite["skipped"] == "1" && outline.suite["time"] == "0")
        #expect(result.regressionTable().hasPrefix("gate passed: \(result.checks.count) checks, every slope within ±0.1"))
        #expect(result.regressionTable().hasSuffix("; 1 inconclusive check skipped\n"))
        #expect(GateResult.seconds(0.0004) == "0" && GateResult.seconds(12.5) == "12.5" && GateResult.seconds(.nan) == "0")
    }
}
