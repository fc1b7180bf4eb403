import ArgumentParser

/// `maxp-diagnose gate` (placeholder until its issue lands).
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gate", abstract: "Not implemented yet.")

    func run() throws {
        throw ValidationError("'gate' is not implemented yet")
    }
}
