import ArgumentParser

/// `maxp-diagnose merge` (placeholder until its issue lands).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Not implemented yet.")

    func run() throws {
        throw ValidationError("'merge' is not implemented yet")
    }
}
