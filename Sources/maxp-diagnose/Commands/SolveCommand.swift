import ArgumentParser

/// `maxp-diagnose solve` (placeholder until its issue lands).
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "solve", abstract: "Not implemented yet.")

    func run() throws {
        throw ValidationError("'solve' is not implemented yet")
    }
}
