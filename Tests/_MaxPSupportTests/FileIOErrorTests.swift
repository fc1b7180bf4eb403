import Foundation
import Testing
import _MaxPSupport

@Suite("File errors in plain words; one atomic writer")
struct FileIOErrorTests {
    @Test("a full disk is `No space left on device`, never a raw NSCocoaErrorDomain code")
    func diskFull() {
        let underlying = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))
        let foundation = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteOutOfSpace.rawValue,
                                 userInfo: [NSUnderlyingErrorKey: underlying])
        #expect(FileIOError.reason(of: foundation) == String(cString: strerror(ENOSPC)))
        let bare = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteOutOfSpace.rawValue)
        #expect(FileIOError.reason(of: bare) == String(cString: strerror(ENOSPC)))
        #expect(!FileIOError.reason(of: NSError(domain: NSCocoaErrorDomain, code: 4242)).contains("NSCocoaErrorDomain"))
    }

    @Test("a folder given where a file is expected says so; a missing file says so")
    func folderForFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("support-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: FileIOError(path: folder.path, reason: "is a folder, not a file")) { try InputFile.read(folder) }
        let missing = folder.appendingPathComponent("none.json")
        #expect(throws: FileIOError(path: missing.path, reason: "no such file")) { try InputFile.read(missing) }
        #expect(throws: FileIOError(path: folder.path, reason: "is a folder, not a file")) {
            try AtomicFile.write("x", to: folder)
        }
        let file = folder.appendingPathComponent("a.txt")
        try AtomicFile.write("hello", to: file)
        #expect(try InputFile.readText(file) == "hello")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.txt"])
    }
}
