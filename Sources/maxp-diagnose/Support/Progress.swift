import MaxPDiagnostics

/// The CLI's progress on stderr is the library's ``TerminalProgress`` (one implementation for the commands and for
/// library users): a bar on a terminal, plain lines in logs, nothing with `--quiet`.
typealias Progress = TerminalProgress
