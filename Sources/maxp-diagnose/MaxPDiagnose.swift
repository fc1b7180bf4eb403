import ArgumentParser

/// `maxp-diagnose`: width-scaling diagnostics for abc-parametrized networks.
///
/// Every subcommand lives in its own file under `Commands/`; this type only lists them.
@main
struct MaxPDiagnose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maxp-diagnose",
        abstract: "Coordinate checks, exponent LPs, LR-transfer sweeps and CI gates for width scaling.",
        version: "0.1.0",
        subcommands: [
            CoordCheckCommand.self,
            AnalyzeCommand.self,
            LRTransferCommand.self,
            SolveCommand.self,
            TrainCommand.self,
            GridCommand.self,
            GateCommand.self,
            MergeCommand.self,
            SlurmScriptCommand.self,
            ReportCommand.self,
        ]
    )
}
