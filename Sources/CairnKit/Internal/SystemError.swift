import Glibc
import CairnCore

/// Turns an `errno` from a system call into a `CairnError` that names the operation and the path,
/// and says what to do for the common causes (permissions, read-only file systems, full disks).
enum SystemError {
    static func make(_ operation: String, path: String, errno code: Int32 = errno) -> CairnError {
        let reason = String(cString: strerror(code))
        switch code {
        case EACCES, EPERM:
            return CairnError(.permissionDenied, "cannot \(operation) '\(path)': permission denied",
                              hint: "check the owner and mode of the folder, or use a store you can write to")
        case EROFS:
            return CairnError(.permissionDenied, "cannot \(operation) '\(path)': the file system is read-only",
                              hint: "use a store on a writable file system")
        case ENOSPC, EDQUOT:
            return CairnError(.io, "cannot \(operation) '\(path)': no space left on the device",
                              hint: "free some space (cairn du shows what is large) and try again")
        case ENOENT:
            return CairnError(.notFound, "cannot \(operation) '\(path)': no such file or folder")
        case EEXIST:
            return CairnError(.alreadyExists, "cannot \(operation) '\(path)': it already exists")
        case ENAMETOOLONG:
            return CairnError(.invalidName, "cannot \(operation) '\(path)': the name is too long",
                              hint: "use shorter names")
        default:
            return CairnError(.io, "cannot \(operation) '\(path)'", cause: reason)
        }
    }
}
