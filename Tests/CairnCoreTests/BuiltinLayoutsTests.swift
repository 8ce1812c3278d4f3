import CairnCore
import Testing

/// Looking a built-in layout up by name builds only that layout; the lookup knows every one of them.
@Suite struct BuiltinLayoutsTests {
    @Test func everyBuiltinIsFoundByItsName() {
        for layout in BuiltinLayouts.all {
            #expect(BuiltinLayouts.named(layout.name)?.name == layout.name)
            #expect(BuiltinLayouts.named(layout.name)?.summary == layout.summary)
        }
        #expect(Set(BuiltinLayouts.names).count == BuiltinLayouts.all.count)
        for name in ["", "Cairn", "cairn ", "auto", "prompt_tree", "nope"] {
            #expect(BuiltinLayouts.named(name) == nil, "\(name)")
        }
    }
}
