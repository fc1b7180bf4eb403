import ArgumentParser

/// `maxp-diagnose lr-transfer` (placeholder until its issue lands).
struct LRTransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lr-transfer", abstract: "Not implemented yet.")

    func run() throws {
        throw ValidationError("'lr-transfer' is not implemented yet")
    }
}
