import CairnCore

extension Store {
    /// The files of the store's tree (`cairn.yaml`, `.cairn/` and Cairn's temporaries left out), and
    /// its symbolic links, whatever they lead to, sorted by path: what a migration must give back.
    /// - Throws: `CairnError` when the tree's root cannot be read.
    public func treeFiles() throws(CairnError) -> [TreeFile] {
        let listing = try TreeWalker.walk(treeRoot)
        let links = Set(listing.fileLinks + listing.folderLinks)
        return (listing.files + listing.folderLinks).map { path in
            TreeFile(path: path, link: links.contains(path) ? FileSystem.linkText(Paths.join(treeRoot, path)) : nil)
        }.sorted { $0.path < $1.path }
    }
}
