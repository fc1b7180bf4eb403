import ArgumentParser

/// `maxp-diagnose train` (placeholder until its issue lands).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Not implemented yet.")

    func run() throws {
        throw ValidationError("'train' is not implemented yet")
    }
}
