import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file or folder could not be read or written: the path and a reason in plain words (`No space left on
/// device`, `is a folder, not a file`), never a raw Foundation error dump.
public struct FileIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file or folder involved.
    public var path: String
    /// What went wrong, in plain words.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) { self.path = path; self.reason = reason }

    /// `'path': reason`.
    public var description: String { "'\(path)': \(reason)" }

    /// The plain-words reason of a Foundation or POSIX error: the `strerror` text of the underlying POSIX code when
    /// there is one (`No space left on device`, `Permission denied`), else a description of the Cocoa error code,
    /// else the error's own description.
    public static func reason(of error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
            case .fileReadNoPermission, .fileWriteNoPermission: return String(cString: strerror(EACCES))
            case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
            case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "not readable as UTF-8 text"
            case .fileReadTooLarge: return String(cString: strerror(EFBIG))
            default: break
            }
        }
        let text = nsError.localizedDescription
        return text.contains("NSCocoaErrorDomain") ? "I/O error (code \(nsError.code))" : text
    }

    /// The reason of the current `errno`.
    public static var lastPOSIXReason: String { String(cString: strerror(errno)) }
}
