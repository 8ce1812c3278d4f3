import Foundation

/// JSON null for `[String: Any]` output.
enum NSNullValue {
    static var value: Any { NSNull() }
}
