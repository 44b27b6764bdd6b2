import Foundation

/// The text a designer edits without touching Swift, as files under
/// `Sources/BlankettWeb/Resources`: the page templates (`templates/<name>.mustache`)
/// and the OpenAPI document (`openapi.yaml`). SwiftPM copies them into the
/// resource bundle `Blankett_BlankettWeb.resources` beside the executable
/// (`swift build --show-bin-path`); a deployment copies that folder with the
/// binary. They are read once, when the web services are made.
enum WebResources {
    /// The bundle's name beside the executable, as SwiftPM writes it.
    #if canImport(Darwin)
    static let bundleName = "Blankett_BlankettWeb.bundle"
    #else
    static let bundleName = "Blankett_BlankettWeb.resources"
    #endif

    /// A resource that is missing or unreadable; says where it was looked for.
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    /// The bundle beside the executable. This is where `Bundle.module` looks
    /// first, but `Bundle.module` stops the process (`fatalError`) when the
    /// folder is missing; a server should say what is wrong and exit instead.
    static func bundle() throws -> Bundle {
        let folder = Bundle.main.bundleURL.appendingPathComponent(bundleName)
        guard let bundle = Bundle(url: folder) else {
            throw LoadError(description: """
                The web resources (page templates and the OpenAPI document) are missing: \
                expected the folder \(bundleName) beside the executable, at \(folder.path). \
                Copy it from the build's bin path (swift build -c release --show-bin-path) \
                together with the binary.
                """)
        }
        return bundle
    }

    /// The text of the resource `name.pathExtension` (in `subdirectory`), as the file holds it.
    static func text(_ name: String, withExtension pathExtension: String, subdirectory: String? = nil) throws -> String {
        let bundle = try bundle()
        guard let url = bundle.url(forResource: name, withExtension: pathExtension, subdirectory: subdirectory) else {
            let path = [subdirectory, name + "." + pathExtension].compactMap { $0 }.joined(separator: "/")
            throw LoadError(description: "The resource bundle \(bundle.bundleURL.path) has no \(path); copy it again from the build.")
        }
        return try text(at: url)
    }

    /// The names (without `.pathExtension`) of the resources in `subdirectory` ending in `.pathExtension`, sorted.
    static func names(withExtension pathExtension: String, subdirectory: String) throws -> [String] {
        let bundle = try bundle()
        guard let folder = bundle.url(forResource: subdirectory, withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw LoadError(description: "The resource bundle \(bundle.bundleURL.path) has no folder \(subdirectory); copy it again from the build.")
        }
        let suffix = "." + pathExtension
        return files.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    private static func text(at url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LoadError(description: "Cannot read the resource \(url.path).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadError(description: "The resource \(url.path) is not UTF-8 text.")
        }
        return text
    }
}
