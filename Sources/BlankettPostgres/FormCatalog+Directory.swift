import BlankettCore
import Foundation

extension FormCatalog {
    /// Every `*.yaml` in `directory` (the installation's `forms/`), next to
    /// `Migration.load(directory:)`, the other reader of the installation's folders.
    public static func load(directory: String) throws -> FormCatalog {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
        let files = try names.map { name in
            (name: "forms/\(name)", text: try String(contentsOfFile: directory + "/" + name, encoding: .utf8))
        }
        switch FormCatalog.load(files: files) {
        case .success(let catalog): return catalog
        case .failure(let failure): throw failure
        }
    }
}
