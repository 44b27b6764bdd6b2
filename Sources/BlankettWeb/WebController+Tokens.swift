import BlankettCore
import BlankettPostgres
import Hummingbird

/// A person's own API tokens: list them with when they were last used, make
/// one (shown once), revoke one. The same store as `blankett admin
/// list-tokens` / `revoke-token`; a person sees and revokes only their own.
extension WebController {
    func registerTokens(on pages: RouterGroup<SignedInRequestContext>) {
        pages.get("/account/tokens") { _, context in try await self.tokensPage(context.person) }
        pages.post("/account/tokens") { _, context in
            let form = context.form
            let days = (form["days"] ?? "").trimmingCharacters(in: .whitespaces)
            guard days.count <= 3, let lifetime = Int(days) else {
                return try await self.tokensPage(context.person, problem: "Ange hur många dagar nyckeln ska gälla, 1–\(SessionStore.maximumTokenLifetimeDays).",
                                                 status: .unprocessableContent)
            }
            do {
                let issued = try await self.services.sessions.issueAPIToken(userID: context.person.userID, name: form["name"] ?? "", lifetimeDays: lifetime)
                return try await self.tokensPage(context.person, issued: (form["name"] ?? "", issued.token, issued.expiresAt), status: .created)
            } catch let error as CaseError {
                return try await self.tokensPage(context.person, problem: error.message, status: error.status)
            }
        }
        pages.post("/account/tokens/:token/revoke") { _, context in
            let id = try context.parameters.require("token")
            guard try await self.services.sessions.revokeAPIToken(id: id, userID: context.person.userID) else { throw CaseError.notFound("Nyckeln") }
            return Response.redirect(to: "/account/tokens", type: .normal)
        }
    }

    func tokensPage(_ user: SessionStore.Session, issued: (name: String, token: String, expiresAt: String)? = nil,
                    problem: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        func local(_ utc: String?) -> String { utc.map { SwedishTime(iso: $0)?.description ?? $0 } ?? "–" }
        let tokens: [[String: Any]] = try await services.sessions.apiTokens(userID: user.userID).map { token in
            ["id": token.id, "name": token.name, "created": local(token.createdAt), "lastUsed": token.lastUsedAt.map { local($0) } ?? "aldrig",
             "expires": local(token.expiresAt), "active": token.isActive, "csrf": user.csrfToken,
             "status": token.revokedAt != nil ? "borttagen" : (token.isActive ? "giltig" : "har gått ut")]
        }
        var content: [String: Any] = ["tokens": tokens, "hasTokens": !tokens.isEmpty,
                                      "defaultDays": SessionStore.defaultTokenLifetimeDays, "maximumDays": SessionStore.maximumTokenLifetimeDays]
        if let issued {
            content["newToken"] = issued.token
            content["newTokenName"] = issued.name
            content["newTokenExpires"] = local(issued.expiresAt)
        }
        return render("tokens", content, title: "API-nycklar", user: user, problem: problem, status: status)
    }
}
