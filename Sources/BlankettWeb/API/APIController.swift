import BlankettCore
import BlankettPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Logging

/// The routes of the JSON API, as `Resources/openapi.yaml` documents them; a test
/// holds the two to each other. Each transition is an operation of its own,
/// so each can document exactly the body it takes.
enum APIRoute: Hashable, Sendable {
    case me, listRounds, listCases, createCase, getCase, getStep, putStep, validation, transitions, perform(CaseCommand.Kind),
         listTokens, revokeToken, document

    static let allCases: [APIRoute] = [.me, .listRounds, .listCases, .createCase, .getCase, .getStep, .putStep, .validation, .transitions]
        + CaseCommand.Kind.allCases.map(APIRoute.perform) + [.listTokens, .revokeToken, .document]

    var method: HTTPRequest.Method {
        switch self {
        case .createCase, .perform: .post
        case .putStep: .put
        case .revokeToken: .delete
        default: .get
        }
    }

    /// In OpenAPI's notation, `{id}`.
    var path: String {
        switch self {
        case .me: "/api/v1/me"
        case .listRounds: "/api/v1/rounds"
        case .listCases, .createCase: "/api/v1/cases"
        case .getCase: "/api/v1/cases/{id}"
        case .getStep, .putStep: "/api/v1/cases/{id}/steps/{step}"
        case .validation: "/api/v1/cases/{id}/validation"
        case .transitions: "/api/v1/cases/{id}/transitions"
        case .perform(let transition): "/api/v1/cases/{id}/transitions/\(transition.rawValue)"
        case .listTokens: "/api/v1/tokens"
        case .revokeToken: "/api/v1/tokens/{id}"
        case .document: "/api/v1/openapi.yaml"
        }
    }

    var routerPath: RouterPath {
        RouterPath(path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: ""))
    }

    /// Whether `requestPath` is this route's path, a `{…}` standing for any one segment.
    func matches(_ requestPath: Substring) -> Bool {
        let wanted = path.split(separator: "/", omittingEmptySubsequences: false)
        let given = requestPath.split(separator: "/", omittingEmptySubsequences: false)
        guard wanted.count == given.count else { return false }
        return zip(wanted, given).allSatisfy { template, segment in
            template.first == "{" ? !segment.isEmpty : template == segment
        }
    }
}

/// The API answers in its own terms for what is not a route: an unknown path
/// under `/api/v1` is 404 `no-such-route`, a documented path asked with a
/// method it does not take (TRACE, QUERY, anything) 405 with `Allow`, both in
/// problem+json, before authentication: the document is public anyway.
struct APIRouteMiddleware<Context: RequestContext>: RouterMiddleware {
    static var prefix: String { "/api/v1/" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix(Self.prefix) || path == "/api/v1" else { return try await next(request, context) }
        let routes = APIRoute.allCases.filter { $0.matches(Substring(path)) }
        if routes.isEmpty {
            return APIProblem(.notFound, "no-such-route", "Det finns ingen \(request.method.rawValue.prefix(20)) \(path.prefix(200)) i API:t; se /api/v1/openapi.yaml.").response
        }
        guard routes.contains(where: { $0.method == request.method }) else {
            let allowed = routes.map(\.method.rawValue).sorted().joined(separator: ", ")
            var response = APIProblem(.methodNotAllowed, "method-not-allowed",
                                      "\(request.method.rawValue.prefix(20)) går inte på \(routes[0].path); det gör \(allowed).").response
            response.headers[.allow] = allowed
            return response
        }
        return try await next(request, context)
    }
}

/// `/api/v1`: the same powers as the pages, for programs. Every route but
/// the document sits behind `APIAuthenticationMiddleware` (an API token, or
/// the session cookie with its CSRF token for changes).
struct APIController: Sendable {
    let services: WebServices
    /// A step's answers are a few kilobytes; anything near this is not a form.
    static let maximumBody = 256 * 1024

    func register(on router: Router<BlankettRequestContext>) {
        router.get(APIRoute.document.routerPath) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: self.services.apiDocument)))
        }
        let api = router.group()
            .add(middleware: APIAuthenticationMiddleware(services: services))
            .group(context: SignedInRequestContext.self)
        for route in APIRoute.allCases where route != .document {
            api.on(route.routerPath, method: route.method) { request, context in
                await self.respond(route, request: request, context: context)
            }
        }
    }

    func respond(_ route: APIRoute, request: Request, context: SignedInRequestContext) async -> Response {
        do {
            let user = context.person
            func caseID() throws -> CaseID { try context.parameters.id("id", as: CaseID.self) }
            switch route {
            case .me: return try await me(user)
            case .listRounds: return try await listRounds(user)
            case .listCases: return try await listCases(user, request: request)
            case .createCase: return try await createCase(user, body: try await Self.body(request, allowed: ["round", "organisation"]))
            case .getCase: return try await getCase(user, caseID: try caseID())
            case .getStep: return try await getStep(user, caseID: try caseID(), stepID: context.parameters.get("step") ?? "")
            case .putStep:
                return try await putStep(user, caseID: try caseID(), stepID: context.parameters.get("step") ?? "",
                                         body: try await Self.body(request, allowed: ["answersVersion", "answers"]))
            case .validation: return try await validation(user, caseID: try caseID())
            case .transitions: return try await transitions(user, caseID: try caseID())
            case .perform(let transition):
                return try await perform(user, caseID: try caseID(), transition: transition, request: request)
            case .listTokens: return try await listTokens(user)
            case .revokeToken:
                guard try await services.sessions.revokeAPIToken(id: context.parameters.get("id") ?? "", userID: user.userID) else {
                    throw APIProblem(.notFound, "not-found", "Du har ingen giltig nyckel med det id:t.", parameter: "id")
                }
                return Response(status: .noContent, headers: [.cacheControl: "no-store"])
            case .document: return APIProblem(.notFound, "no-such-route", "Dokumentet finns på /api/v1/openapi.yaml.").response
            }
        } catch let problem as APIProblem {
            return problem.response
        } catch let error as CaseError {
            return APIProblem(error).response
        } catch let error as PostgresError where error.isUnavailable {
            context.logger.warning("Database unavailable", metadata: ["route": "\(route.path)", "error": "\(error.kind)"])
            var response = APIProblem(.serviceUnavailable, "unavailable", "Databasen kan inte nås just nu. Inget har sparats; försök igen om en stund.").response
            response.headers[UnexpectedErrorMiddleware<BlankettRequestContext>.retryAfter] = String(UnexpectedErrorMiddleware<BlankettRequestContext>.retrySeconds)
            return response
        } catch is PasswordGate.Busy {
            var response = APIProblem(.serviceUnavailable, "busy", "Många lösenord kontrolleras just nu. Inget har ändrats; försök igen om några sekunder.").response
            response.headers[UnexpectedErrorMiddleware<BlankettRequestContext>.retryAfter] = "5"
            return response
        } catch {
            context.logger.error("API request failed", metadata: ["route": "\(route.path)", "error": "\(error)"])
            return APIProblem(.internalServerError, "internal", "Ett oväntat fel inträffade. Inget har ändrats; försök igen om en stund.").response
        }
    }

    // MARK: Bodies

    /// The request's JSON object, refusing members the route does not know:
    /// a misspelt member would otherwise be silently ignored.
    static func body(_ request: Request, allowed: Set<String>) async throws -> JSONObject {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw APIProblem(.unsupportedMediaType, "unsupported-media-type", "Skicka kroppen som application/json (UTF-8).")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBody)
        } catch is NIOTooManyBytesError {
            throw APIProblem(.contentTooLarge, "too-large", "Kroppen är större än \(maximumBody / 1024) KiB.")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(buffer.readableBytesView)
        } catch {
            throw APIProblem(.badRequest, "malformed-json", "Kroppen är inte giltig JSON: \(error).")
        }
        guard case .object(let object) = json else {
            throw APIProblem(.badRequest, "malformed-json", "Kroppen ska vara ett JSON-objekt.")
        }
        if let unknown = object.keys.first(where: { !allowed.contains($0) }) {
            throw APIProblem(.badRequest, "unknown-member", "Okänd medlem \"\(unknown.prefix(80))\"; tillåtna är \(allowed.sorted().joined(separator: ", ")).", parameter: unknown)
        }
        return object
    }

    static func string(_ object: JSONObject, _ name: String, required: Bool = false) throws -> String? {
        switch object[name] {
        case nil, .null?:
            if required { throw APIProblem(.unprocessableContent, "missing-member", "Medlemmen \"\(name)\" saknas.", parameter: name) }
            return nil
        case .string(let value)?: return value
        default: throw APIProblem(.unprocessableContent, "wrong-type", "Medlemmen \"\(name)\" ska vara en sträng.", parameter: name)
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    // MARK: Routes

    func me(_ user: SessionStore.Session) async throws -> Response {
        let memberships = try await services.directory.memberships(userID: user.userID)
        return Self.json(.object([
            "id": .string(user.userID.uuid), "name": .string(user.name), "email": .string(user.email),
            "organisations": .array(memberships.map { organisation, roles in
                .object(["id": .string(organisation.id.uuid), "name": .string(organisation.name), "roles": .array(roles.sorted().map { .string($0.rawValue) })])
            }),
        ]))
    }

    /// The person's own API tokens, never their secrets. Times are UTC.
    func listTokens(_ user: SessionStore.Session) async throws -> Response {
        let tokens = try await services.sessions.apiTokens(userID: user.userID)
        return Self.json(.object(["tokens": .array(tokens.map { token in
            .object(["id": .string(token.id), "name": .string(token.name), "createdAt": .string(token.createdAt),
                     "lastUsedAt": token.lastUsedAt.map(JSONValue.string) ?? .null, "expiresAt": .string(token.expiresAt),
                     "revokedAt": token.revokedAt.map(JSONValue.string) ?? .null, "active": .bool(token.isActive)])
        })]))
    }

    /// The grant rounds open to each of the person's organisations (by its
    /// county), newest deadline first: where a case can be started.
    func listRounds(_ user: SessionStore.Session) async throws -> Response {
        let catalog = services.cases.catalog
        var listed: [JSONValue] = []
        for (organisation, _) in try await services.directory.memberships(userID: user.userID) {
            for round in try await services.directory.rounds(openTo: organisation.id) {
                let definition = catalog[round.formID]?.definition
                listed.append(.object([
                    "id": .string(round.id.uuid), "key": .string(round.key), "title": .string(round.title),
                    "organisation": .object(["id": .string(organisation.id.uuid), "name": .string(organisation.name)]),
                    "form": .object(["id": .string(round.formID), "title": definition.map { .string($0.title) } ?? .null]),
                    "authority": .string(round.authorityName),
                    "period": .object(["start": .string(round.periodStart.description), "end": .string(round.periodEnd.description)]),
                    "deadline": .string(round.deadline.description),
                ]))
            }
        }
        return Self.json(.object(["rounds": .array(listed)]))
    }

    func listCases(_ user: SessionStore.Session, request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let filter: CaseFilter
        do {
            filter = try CaseFilter(query: { query.get($0) }, exact: true)
        } catch {
            throw APIProblem(.badRequest, "invalid-parameter", error.message, parameter: error.parameter)
        }
        let wanted = query.get("organisation")
        if wanted?.isEmpty == true {
            throw APIProblem(.badRequest, "invalid-parameter", "Parametern organisation är tom; utelämna den för alla dina organisationer.", parameter: "organisation")
        }
        let memberships = try await services.directory.memberships(userID: user.userID)
        if let wanted, !memberships.contains(where: { $0.organisation.id == OrganisationID(wanted) }) {
            throw APIProblem(.notFound, "not-found", "Organisationen finns inte, eller så har du inte behörighet till den.", parameter: "organisation")
        }
        let limit = try Self.pageSize(query.get("limit"))
        var after: CaseID?
        if let text = query.get("after") {
            guard let id = CaseID(text) else {
                throw APIProblem(.badRequest, "invalid-parameter", "Parametern after ska vara id:t på föregående sidas sista ärende.", parameter: "after")
            }
            after = id
        }
        let catalog = services.cases.catalog
        let organisations = memberships.map(\.organisation.id).filter { wanted == nil || $0 == OrganisationID(wanted!) }
        let records = try await services.cases.cases(filter.query(organisationIDs: organisations, catalog: catalog, after: after, limit: limit), for: user.userID)
        let listed = records.map { JSONValue.object(APIRepresentation.caseSummary($0, definition: catalog[$0.formID]?.definition)) }
        // A full page may have a next one: the same query after its last case.
        var next: JSONValue = .null
        if records.count == limit, let last = records.last {
            var parameters = filter.queryParameters
            if let wanted = wanted.flatMap({ OrganisationID($0) }) { parameters.append("organisation=\(wanted)") }
            if query.get("limit") != nil { parameters.append("limit=\(limit)") }
            parameters.append("after=\(last.id)")
            next = .string("/api/v1/cases?" + parameters.joined(separator: "&"))
        }
        return Self.json(.object(["cases": .array(listed), "next": next]))
    }

    /// Cases per page: 100 unless asked for 1 to 500.
    static let defaultPageSize = 100
    static let maximumPageSize = 500

    static func pageSize(_ text: String?) throws -> Int {
        guard let text else { return defaultPageSize }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let size = Int(text), (1...maximumPageSize).contains(size) else {
            throw APIProblem(.badRequest, "invalid-parameter", "Parametern limit ska vara ett heltal från 1 till \(maximumPageSize).", parameter: "limit")
        }
        return size
    }

    func createCase(_ user: SessionStore.Session, body: JSONObject) async throws -> Response {
        guard let round = RoundID(try Self.string(body, "round", required: true) ?? "") else {
            throw APIProblem(.notFound, "not-found", "Omgången finns inte, eller så har du inte behörighet till den.", parameter: "round")
        }
        guard let organisation = OrganisationID(try Self.string(body, "organisation", required: true) ?? "") else {
            throw APIProblem(.notFound, "not-found", "Organisationen finns inte, eller så har du inte behörighet till den.", parameter: "organisation")
        }
        let record = try await services.cases.create(roundID: round, organisationID: organisation, by: user.userID)
        var response = try await caseResponse(user, record: record, status: .created)
        response.headers[.location] = "/api/v1/cases/\(record.id)"
        return response
    }

    func getCase(_ user: SessionStore.Session, caseID: CaseID) async throws -> Response {
        caseResponse(try await services.cases.open(caseID, for: user.userID))
    }

    func caseResponse(_ user: SessionStore.Session, record: CaseRecord, status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = try await services.cases.actor(user.userID, organisationID: record.organisationID)
        return caseResponse(OpenedCase(record: record, definition: try services.cases.definition(of: record), actor: actor), status: status)
    }

    func caseResponse(_ opened: OpenedCase, status: HTTPResponse.Status = .ok) -> Response {
        Self.json(APIRepresentation.caseDetail(opened.record, definition: opened.definition, transitions: opened.availableCommands), status: status)
    }

    func step(_ stepID: String, of definition: FormDefinition) throws -> Step {
        guard let step = definition.step(withID: stepID) else {
            throw APIProblem(.notFound, "not-found", "Blanketten har inget steg som heter \(stepID.prefix(80)).", parameter: "step")
        }
        return step
    }

    func getStep(_ user: SessionStore.Session, caseID: CaseID, stepID: String) async throws -> Response {
        let opened = try await services.cases.open(caseID, for: user.userID)
        let record = opened.record
        let step = try step(stepID, of: opened.definition)
        let validation = opened.validation()
        return Self.json(.object([
            "caseId": .string(record.id.uuid), "step": .string(step.id), "title": .string(step.title),
            "answersVersion": JSONValue(record.answersVersion),
            "answers": APIRepresentation.stepAnswers(record, step: step),
            "findings": .array(validation.findings(inStep: step.id).map(APIRepresentation.finding)),
        ]))
    }

    /// Saves one step like the page does: a draft may have errors, which come
    /// back as findings; only a stale version or an impossible body is refused.
    func putStep(_ user: SessionStore.Session, caseID: CaseID, stepID: String, body: JSONObject) async throws -> Response {
        guard let versionValue = body["answersVersion"] else {
            throw APIProblem(.unprocessableContent, "missing-member", "Medlemmen \"answersVersion\" saknas: versionen du utgick från.", parameter: "answersVersion")
        }
        guard let version = versionValue.integerValue, version >= 0 else {
            throw APIProblem(.unprocessableContent, "wrong-type", "\"answersVersion\" ska vara ett heltal.", parameter: "answersVersion")
        }
        guard let answers = body["answers"] else {
            throw APIProblem(.unprocessableContent, "missing-member", "Medlemmen \"answers\" saknas.", parameter: "answers")
        }
        guard case .object = answers else {
            throw APIProblem(.unprocessableContent, "wrong-type", "\"answers\" ska vara ett objekt med stegets fält-id som nycklar.", parameter: "answers")
        }
        let outcome = try await services.cases.saveAnswers(caseID, step: stepID, answers: answers, baseVersion: version, by: user.userID)
        return Self.json(.object([
            "answersVersion": JSONValue(outcome.version),
            "saved": .bool(!outcome.changes.isEmpty),
            "changes": AnswerDiff.json(outcome.changes),
            "dropped": .array(outcome.droppedPaths.map(JSONValue.string)),
            "findings": .array(outcome.findings.filter { $0.step == stepID }.map(APIRepresentation.finding)),
        ]))
    }

    func validation(_ user: SessionStore.Session, caseID: CaseID) async throws -> Response {
        let result = try await services.cases.validate(caseID, for: user.userID)
        return Self.json(.object([
            "valid": .bool(result.isValid),
            "errors": JSONValue(result.errors.count),
            "warnings": JSONValue(result.warnings.count),
            "findings": .array(result.findings.map(APIRepresentation.finding)),
            "dropped": .array(result.droppedPaths.map(JSONValue.string)),
        ]))
    }

    func transitions(_ user: SessionStore.Session, caseID: CaseID) async throws -> Response {
        let opened = try await services.cases.open(caseID, for: user.userID)
        return Self.json(.object(["state": .string(opened.record.state.rawValue),
                                  "transitions": APIRepresentation.transitions(opened.availableCommands, record: opened.record)]))
    }

    func perform(_ user: SessionStore.Session, caseID: CaseID, transition: CaseCommand.Kind, request: Request) async throws -> Response {
        let body = try await Self.body(request, allowed: Set(transition.inputNames))
        var inputs = CommandInputs(
            comment: try Self.string(body, "comment"), password: try Self.string(body, "password"),
            diarienummer: try Self.string(body, "diarienummer"), year: services.clock.swedishToday().year, meetingDate: try Self.string(body, "meeting_date"),
            paragraph: try Self.string(body, "paragraph"), text: try Self.string(body, "text"), outcome: try Self.string(body, "outcome"),
            authorityDiarienummer: try Self.string(body, "authority_diarienummer"),
            decisionDate: try Self.string(body, "decision_date"),
            eserviceReference: try Self.string(body, "eservice_reference")
        )
        if let values = body["values"] {
            guard case .object(let object) = values, object.count <= 50 else {
                throw APIProblem(.unprocessableContent, "wrong-type", "\"values\" ska vara ett objekt med beslutets värden: {\"beviljat_statsbidrag\": 1127386}.", parameter: "values")
            }
            for (key, value) in object {
                switch value {
                // A number is read as the machine writes it; the Swedish reading takes a comma.
                case .number(let literal): inputs.grantValues[key] = literal.replacingOccurrences(of: ".", with: ",")
                case .string(let text): inputs.grantValues[key] = text
                default:
                    throw APIProblem(.unprocessableContent, "wrong-type", "Beslutets värde \(key.prefix(60)) ska vara ett tal eller en text.", parameter: "values")
                }
            }
        }
        if let acknowledgements = body["acknowledgements"] {
            guard case .object(let object) = acknowledgements else {
                throw APIProblem(.unprocessableContent, "wrong-type", "\"acknowledgements\" ska vara ett objekt: {\"kod@sökväg\": \"kommentar\"}.", parameter: "acknowledgements")
            }
            for (key, comment) in object {
                guard let warning = WarningKey(key), let text = comment.stringValue else {
                    throw APIProblem(.unprocessableContent, "wrong-type", "Varje kvittens är \"kod@sökväg\": \"kommentar\"; \(key.prefix(80)) är det inte.", parameter: "acknowledgements")
                }
                inputs.acknowledgements[warning] = text
            }
        }
        do {
            let record = try await services.cases.perform(transition, inputs: inputs, on: caseID, by: user.userID)
            return try await caseResponse(user, record: record)
        } catch let error as CaseError where error.workflowCode == .validationErrors || error.workflowCode == .warningNotAcknowledged {
            // The reason is in the answers: name each finding, as the engine reports them.
            var problem = APIProblem(error)
            let result = try await services.cases.validate(caseID, for: user.userID)
            problem.findings = error.workflowCode == .validationErrors
                ? result.errors
                : result.warnings.filter { $0.code != "not-relevant" && inputs.acknowledgements[WarningKey($0)]?.trimmingCharacters(in: .whitespaces).isEmpty ?? true }
            throw problem
        }
    }
}
