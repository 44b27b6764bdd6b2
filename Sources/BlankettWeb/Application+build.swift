import BlankettPostgres
import Hummingbird
import Logging
import ServiceLifecycle

/// Everything `buildApplication` needs; the executable fills it from the environment.
public struct WebConfiguration: Sendable {
    /// Interface to listen on. Default "127.0.0.1".
    public var host: String
    /// TCP port. Default 8080; 0 picks a free port.
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// Builds the HTTP application. The pool is run as one of the application's
/// services, so it shuts down after the server has stopped taking requests.
public func buildApplication(
    configuration: WebConfiguration,
    pool: PostgresConnectionPool,
    migrator: Migrator,
    services: WebServices? = nil,
    backgroundServices: [any Service] = [],
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(pool: pool, migrator: migrator, services: services)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Blankett"),
        // Shut down in reverse: background work (the outbox worker) stops before the pool.
        services: [pool] + backgroundServices,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// The routes: health probes always; the pages and the JSON API when `services` are given.
public func buildRouter(pool: PostgresConnectionPool, migrator: Migrator, services: WebServices? = nil) -> Router<BlankettRequestContext> {
    let router = Router(context: BlankettRequestContext.self)
    router.add(middleware: RequestLogMiddleware(.info))
    router.add(middleware: SecurityHeadersMiddleware(contentSecurityPolicy: services?.contentSecurityPolicy ?? SecurityHeadersMiddleware<BlankettRequestContext>.contentSecurityPolicy(styleSHA256: nil),
                                                     strictTransportSecurity: services?.strictTransportSecurity ?? false))
    let pages: WebController? = services.map { WebController(services: $0) }
    var errorPage: (@Sendable (HTTPResponse.Status, String) -> Response)?
    if let pages {
        errorPage = { status, message in pages.render("error", ["heading": "Det gick inte"], title: "Fel", user: nil, problem: message, status: status) }
    }
    router.add(middleware: UnexpectedErrorMiddleware(page: errorPage))
    router.add(middleware: OriginCheckMiddleware(pageRefusal: {
        guard let pages else { return Response(status: .forbidden) }
        return pages.render("error", ["heading": "Det gick inte"], title: "Fel", user: nil,
                            problem: "Ändringen kom från en annan webbplats och har inte sparats. Öppna Blankett direkt och försök igen.", status: .forbidden)
    }))
    router.add(middleware: APIRouteMiddleware())
    HealthController(pool: pool, migrator: migrator).register(on: router)
    if let services {
        WebController(services: services).register(on: router)
        APIController(services: services).register(on: router)
    }
    return router
}
