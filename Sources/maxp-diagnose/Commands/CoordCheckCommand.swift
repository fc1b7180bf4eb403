import ArgumentParser

/// `maxp-diagnose coord-check` (placeholder until its issue lands).
struct CoordCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "coord-check", abstract: "Not implemented yet.")

    func run() throws {
        throw ValidationError("'coord-check' is not implemented yet")
    }
}
