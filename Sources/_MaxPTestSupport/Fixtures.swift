import Foundation

/// Locates the test fixtures that live inside the repository (`Tests/Fixtures/…`), so a clone of the project alone
/// passes its tests. The golden files are copies of the Python originals' reference data; `Tests/Fixtures/golden/README.md`
/// says what each one holds.
///
/// For tests only: no library or executable target depends on this module.
public enum TestFixtures {
    /// The package root: the nearest ancestor of `filePath` (default: this file) that holds `Package.swift`.
    public static func packageRoot(filePath: String = #filePath) -> URL {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        let manager = FileManager.default
        while directory.path != "/" {
            if manager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
            directory = directory.deletingLastPathComponent()
        }
        preconditionFailure("no Package.swift above \(filePath)")
    }

    /// `Tests/Fixtures/golden`: the reference data of the Python originals (LP cases, alignment vectors,
    /// coord-check reference, coord-check CSVs written by the real `mup` package under `imported/`).
    public static var goldenDirectory: URL {
        packageRoot().appendingPathComponent("Tests/Fixtures/golden", isDirectory: true)
    }

    /// The URL of golden file `name` (a path relative to ``goldenDirectory``, e.g. `imported/mup_mlp_sp_adam.csv`).
    public static func golden(_ name: String) -> URL { goldenDirectory.appendingPathComponent(name) }

    /// The bytes of golden file `name`.
    public static func goldenData(_ name: String) throws -> Data { try Data(contentsOf: golden(name)) }
}
