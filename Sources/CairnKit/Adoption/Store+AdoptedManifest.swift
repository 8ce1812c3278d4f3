import CairnCore
import CairnFormats

extension Store {
    /// The checkpoint manifest of an adopted run, built from what its folder holds now: its layout
    /// explains each file, checkpoints get their epoch, step and score from their names, and the
    /// tree's own best and last files become pointers (see docs/FORMAT.md, Adopted stores). Nothing
    /// is hashed or written.
    func adoptedManifest(of run: Run) throws(CairnError) -> [UInt8] {
        if let packed = try adoptedPack?.bytes(.manifest, of: run.id) { return packed }
        return try scannedManifest(of: run)
    }

    /// The manifest ``adoptedManifest(of:)`` builds from the run's folder, never the pack's (a migration
    /// packs the manifests it carried hashes into).
    func scannedManifest(of run: Run) throws(CairnError) -> [UInt8] {
        let layout = settings.layout(named: run.record.layout) ?? self.layout
        guard FileSystem.isDirectory(run.absoluteFolder) else { return [] }
        let listing = try TreeWalker.walk(run.absoluteFolder)
        let prefix = run.folder + "/"
        let recognition = TreeRecognizer.recognize(listing.files.map { prefix + $0 }, layout: layout)
        guard let recognized = recognition.runs.first(where: { $0.folder == run.folder }) else { return [] }
        return ManifestCodec.encode(AdoptedRunBuilder(layout: layout, tree: treeRoot, logger: logger, adoptedAt: clock.now()).manifest(of: recognized).events)
    }
}
