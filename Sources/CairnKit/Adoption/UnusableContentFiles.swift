import CairnCore
import Logging

/// The files a layout reads fields from (`config.json` in a folder checkpoint) that could not be used,
/// gathered over many checkpoints so that one warning tells of all of them: a tree of 2,000 such
/// folders gives one line, not 2,000.
struct UnusableContentFiles {
    /// How many files could not be used.
    private(set) var count = 0
    /// The first of them, and why.
    private(set) var first: (path: String, error: CairnError)?

    /// Notes a file that could not be used.
    mutating func note(_ path: String, _ error: CairnError) {
        count += 1
        if first == nil { first = (path, error) }
    }

    /// One warning for every file noted, if any.
    func warn(_ logger: Logger, layout: Layout) {
        guard let first else { return }
        let others = count > 1 ? " and \(count - 1) other file\(count == 2 ? "" : "s") like it" : ""
        logger.warning("the layout '\(layout.name)' reads fields from '\(first.path)'\(others), which \(count > 1 ? "are" : "is") unusable (\(first.error.messageWithCause)); those checkpoints go without the fields",
                       metadata: ["path": "\(first.path)", "layout": "\(layout.name)", "files": "\(count)"])
    }
}
