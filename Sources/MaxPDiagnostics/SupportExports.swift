// The support target's file, JSON and text helpers (``AtomicFile``, ``InputFile``, ``JSONFormat``, ``TextLines``)
// are part of what `import MaxPDiagnostics` gives, as `AtomicFile` always was.
@_exported import _MaxPSupport
