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

    @Test func eachTransitionIsAnOperationTakingExactlyItsInputs() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: Any])
        #expect(paths["/api/v1/cases/{id}/transitions/{transition}"] == nil)
        for transition in CaseCommand.Kind.allCases {
            let item = try #require(paths["/api/v1/cases/{id}/transitions/\(transition.rawValue)"] as? [String: Any], "\(transition)")
            let post = try #require(item["post"] as? [String: Any])
            var node: Any? = post
            for key in ["requestBody", "content", "application/json", "schema"] { node = (node as? [String: Any])?[key] }
            let schema = try #require(node as? [String: Any], "\(transition)")
            #expect(schema["additionalProperties"] as? Bool == false)
            let members = (schema["properties"] as? [String: Any]).map { Set($0.keys) } ?? []
            #expect(members == Set(transition.inputNames), "\(transition): \(members.sorted()) against \(transition.inputNames)")
            let required = Set(schema["required"] as? [String] ?? [])
            #expect(required.isSubset(of: members))
        }
    }

    @Test func theDocumentsStatesAreCaseStates() throws {
        let states = Self.enumeration(try Self.document()["components"], "schemas", "State")
        #expect(states == CaseState.allCases.map(\.rawValue))
    }
}
