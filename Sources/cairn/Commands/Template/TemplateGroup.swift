import ArgumentParser

extension Cairn {
    struct TemplateGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template",
            abstract: "The store's config templates (.cairn/templates/NAME.yaml), for 'cairn exp new NAME --template T'.",
            subcommands: [TemplateLs.self, TemplateAdd.self, TemplateShow.self, TemplateRm.self])
    }
}
