/// What a file holds, told by its first bytes, never by its name: what a migration checks before it
/// gives a file a name with another extension (a pickle is never renamed `model.safetensors`).
public enum ContentKind: String, Sendable, Codable, CustomStringConvertible {
    case folder
    case safetensors
    case numpy
    /// A zip archive: what `torch.save` writes since PyTorch 1.6.
    case zip
    /// A Python pickle: what `torch.save` wrote before.
    case pickle
    case other

    public var description: String {
        switch self {
        case .folder: "a folder"
        case .safetensors: "a safetensors file"
        case .numpy: "a NumPy .npy file"
        case .zip: "a zip archive (a PyTorch checkpoint)"
        case .pickle: "a pickle (an older PyTorch checkpoint)"
        case .other: "a file of no known checkpoint format"
        }
    }

    /// The kinds a file named with `fileExtension` (`.safetensors`, with its dot) may hold, or nil when
    /// the extension says nothing about the content.
    public static func expected(forExtension fileExtension: String) -> Set<ContentKind>? {
        switch fileExtension.lowercased() {
        case ".safetensors": [.safetensors]
        case ".npy": [.numpy]
        case ".pt", ".pth", ".ckpt", ".bin", ".pkl", ".pickle": [.zip, .pickle]
        case ".zip": [.zip]
        default: nil
        }
    }

    /// The kind of a file from its first bytes (at least 16 when the file has them) and its size.
    public static func sniff(_ head: [UInt8], size: Int) -> ContentKind {
        if head.starts(with: [0x93] + Array("NUMPY".utf8)) { return .numpy }
        if head.starts(with: Array("PK".utf8) + [3, 4]) || head.starts(with: Array("PK".utf8) + [5, 6]) { return .zip }
        if head.count >= 2, head[0] == 0x80, (2...5).contains(head[1]) { return .pickle }
        if head.count >= 9, size > 9, head[8] == UInt8(ascii: "{") {
            var length: UInt64 = 0
            for index in (0..<8).reversed() { length = length << 8 | UInt64(head[index]) }
            if length >= 2, length <= UInt64(size - 8) { return .safetensors }
        }
        return .other
    }

    /// The extension of a file name as a layout's `{ext:ext}` field takes it: from the last dot (`.pt`),
    /// or the last two for a compressed tar (`.tar.gz`); empty for a name without one, or one that
    /// starts with its only dot (`.hidden`).
    public static func fileExtension(of name: some StringProtocol) -> String {
        let text = String(name)
        let component = text.lastIndex(of: "/").map { String(text[text.index(after: $0)...]) } ?? text
        let isExtensionText = { (text: Substring) in
            !text.isEmpty && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        }
        guard let dot = component.lastIndex(of: "."), dot != component.startIndex,
              isExtensionText(component[component.index(after: dot)...]) else { return "" }
        let last = String(component[dot...])
        let before = component[..<dot]
        if [".gz", ".bz2", ".xz", ".zst"].contains(last.lowercased()), before.lowercased().hasSuffix(".tar"), before.count > 4 {
            return String(before.suffix(4)) + last
        }
        return last
    }
}
