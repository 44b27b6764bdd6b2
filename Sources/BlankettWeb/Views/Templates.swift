import Mustache

/// The HTML templates (swift-mustache, which escapes `{{value}}` by default):
/// one file per template in `Resources/templates`, registered under the file's
/// name without `.mustache` (`{{> field}}` is `field.mustache`). A file's
/// last line break is not part of the template, so a file saved with one
/// renders as it did when the templates were Swift string literals.
enum Templates {
    /// The templates the pages render by name; start-up fails without any of them.
    static let required = ["layout", "login", "dashboard", "case", "step", "review", "field", "message", "verify", "error", "admin", "tokens",
                           "password", "forgot", "reset"]

    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for name in try WebResources.names(withExtension: "mustache", subdirectory: "templates") {
            var text = try WebResources.text(name, withExtension: "mustache", subdirectory: "templates")
            if text.last?.isNewline == true { text.removeLast() }
            do {
                try library.register(text, named: name)
            } catch {
                throw WebResources.LoadError(description: "The template templates/\(name).mustache does not parse: \(error)")
            }
        }
        let missing = required.filter { library.getTemplate(named: $0) == nil }
        guard missing.isEmpty else {
            throw WebResources.LoadError(description: "The page templates \(missing.map { $0 + ".mustache" }.joined(separator: ", ")) are missing from the resource bundle.")
        }
        return library
    }
}
