import BlankettCore
@testable import BlankettWeb
import Testing
import Yams

/// The templates and the OpenAPI document as resource files: they load from
/// the bundle beside the test binary, and the hand-written parts of the
/// document that mirror Swift enums name exactly their cases. No database.
@Suite struct WebResourcesTests {
    static func document() throws -> [String: Any] {
        try #require(try Yams.load(yaml: try APIDocument.load()) as? [String: Any])
    }

    static func enumeration(_ value: Any?, _ keys: String...) -> [String]? {
        var node = value
        for key in keys { node = (node as? [String: Any])?[key] }
        return (node as? [String: Any])?["enum"] as? [String]
    }

    @Test func everyPageTemplateLoads() throws {
        let library = try Templates.library()
        #expect(Templates.required.filter { library.getTemplate(named: $0) == nil } == [])
    }

    @Test func aTemplateFilesLastLineBreakIsNotRendered() throws {
        let rendered = try #require(try Templates.library().render(["heading": "Fel"], withTemplate: "error"))
        #expect(rendered == "<h1>Fel</h1>\n<p><a href=\"/\">Till startsidan</a></p>")
    }

    @Test func theDocumentsTransitionsAreTheWorkflowsCommands() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: Any])
        let item = try #require(paths["/api/v1/cases/{id}/transitions/{transition}"] as? [String: Any])
        let parameters = try #require(item["parameters"] as? [Any])
        let transition = parameters.compactMap { $0 as? [String: Any] }.first { $0["name"] as? String == "transition" }
        #expect(Self.enumeration(transition, "schema") == CaseCommand.Kind.allCases.map(\.rawValue))
    }

    @Test func theDocumentsStatesAreCaseStates() throws {
        let states = Self.enumeration(try Self.document()["components"], "schemas", "State")
        #expect(states == CaseState.allCases.map(\.rawValue))
    }
}
