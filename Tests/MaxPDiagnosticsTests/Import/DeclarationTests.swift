import Foundation
import Testing
@testable import MaxPDiagnostics

@Suite("Declaration and role names")
struct DeclarationTests {
    static func parse(_ json: String) throws -> Declaration { try Declaration(json: Data(json.utf8), path: "d.json") }

    @Test("globs: * stands for any run of characters; the first matching entry wins")
    func globs() throws {
        #expect(Declaration.glob("fc_*", matches: "fc_12"))
        #expect(Declaration.glob("blocks.*.attn.qk", matches: "blocks.3.attn.qk"))
        #expect(Declaration.glob("*", matches: ""))
        #expect(!Declaration.glob("fc_*", matches: "xfc_1"))
        #expect(!Declaration.glob("readout", matches: "readout2"))
        let declaration = try Self.parse("""
            {"parametrization": "ntk", "ops": [{"match": "fc_1", "role": "input"}, {"match": "fc_*", "role": "hidden", "a": 0.25},
             {"match": "*", "role": "ignore"}]}
            """)
        #expect(declaration.parametrization == .ntk)
        #expect(declaration.entry(for: "fc_1")?.entry.role == .input)
        #expect(declaration.entry(for: "fc_2")?.entry.a == 0.25)
        #expect(declaration.entry(for: "anything")?.index == 2)
    }

    @Test("malformed declarations name the place", arguments: [
        ("{\"parametrization\": \"mu\"}", "declaration `d.json`, parametrization:"),
        ("{\"ops\": [{\"match\": \"x\", \"role\": \"hiden\"}]}", "declaration `d.json`, ops[0].role:"),
        ("{\"ops\": [{\"match\": \"x\", \"role\": \"hidden\", \"inptus\": []}]}", "declaration `d.json`, ops[0]: unknown key `inptus`"),
        ("{\"ops\": [{\"match\": \"x\", \"role\": \"norm\", \"b\": 1}]}", "declaration `d.json`, ops[0].b:"),
        ("{\"ops\": [{\"match\": \"x\", \"role\": \"hidden\", \"a\": true}]}", "declaration `d.json`, ops[0].a: expected a finite number"),
        ("{\"ops\": [{\"role\": \"hidden\"}]}", "declaration `d.json`, ops[0].match:"),
        ("[1]", "declaration `d.json`, top level:"),
        ("{", "declaration `d.json`, top level: not valid JSON"),
    ])
    func malformed(json: String, message: String) {
        #expect { try Self.parse(json) } throws: { "\($0)".hasPrefix(message) }
    }

    @Test("names map to roles by the documented patterns")
    func names() {
        let cases: [(String, OpRole?)] = [
            ("readout", .readout), ("lm_head", .readout), ("model.output", .readout), ("unembed", .readout),
            ("blocks.0.attn.qk", .attentionLogits), ("h.0.attn.scores", .attentionLogits), ("attn_logits", .attentionLogits),
            ("transformer.wte", .input), ("wpe", .input), ("tok_emb", .input), ("embedding", .input), ("embeddings.word", .input),
            ("input_proj", .input), ("h.0.ln_1", .norm), ("norm_f.layerNorm", .norm), ("input_layernorm", .norm),
            ("fc_1", nil), ("blocks.0.mlp.fc_out", nil), ("logits", nil), ("heads", nil),
        ]
        for (name, role) in cases { #expect(OpRoleNames.role(forName: name)?.role == role, "\(name)") }
    }

    @Test("inputs must name ops of the data and must not form a cycle")
    func inputs() throws {
        let unknown = try Self.parse("{\"ops\": [{\"match\": \"b\", \"role\": \"hidden\", \"inputs\": [\"z\"]}]}")
        #expect(throws: DeclarationError.unknownInput(path: "d.json", op: "b", input: "z")) {
            try RoleAssignment.assign(ops: ["a", "b"], declaration: unknown, declarationPath: "d.json")
        }
        let cycle = try Self.parse("""
            {"ops": [{"match": "a", "role": "hidden", "inputs": ["b"]}, {"match": "b", "role": "hidden", "inputs": ["a"]}]}
            """)
        #expect(throws: DeclarationError.cycle(path: "d.json", op: "a")) {
            try RoleAssignment.assign(ops: ["a", "b"], declaration: cycle, declarationPath: "d.json")
        }
        // Declared inputs reorder the graph topologically.
        let reordered = try Self.parse("{\"ops\": [{\"match\": \"a\", \"role\": \"hidden\", \"inputs\": [\"b\"]}]}")
        #expect(try RoleAssignment.assign(ops: ["a", "b"], declaration: reordered).map(\.op) == ["b", "a"])
    }
}
