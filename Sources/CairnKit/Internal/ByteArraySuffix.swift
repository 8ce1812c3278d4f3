// Byte arrays compared by their end.
extension Array where Element == UInt8 {
    /// True when the array ends with `suffix`.
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
