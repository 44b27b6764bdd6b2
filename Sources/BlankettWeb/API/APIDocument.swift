/// The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.yaml`
/// as the file `Resources/openapi.yaml` holds it. `APITests` checks that its
/// operations are exactly `APIRoute`'s and its transitions `CaseCommand.Kind`'s.
enum APIDocument {
    static func load() throws -> String {
        try WebResources.text("openapi", withExtension: "yaml")
    }
}
