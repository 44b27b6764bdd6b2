import BlankettPostgres
import Hummingbird

/// The request context of every route: what the authentication middleware
/// learned about the request before a handler runs.
public struct BlankettRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in person, once a middleware has found their session or API token.
    var person: SessionStore.Session?
    /// A page's form post, read (and its CSRF token checked) by the middleware.
    var form = FormPost(pairs: [])

    /// The IP address of the connection's other end (a proxy's, behind one); nil in tests.
    let peerAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// The context of the routes behind sign-in: the person is always there.
struct SignedInRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let person: SessionStore.Session
    /// The form post of a page's POST (empty for GET and for the API).
    let form: FormPost
    /// The connection's address (see `BlankettRequestContext.peerAddress`).
    let peerAddress: String?

    init(context: BlankettRequestContext) throws {
        // Only routes behind an authentication middleware get this context.
        guard let person = context.person else { throw HTTPError(.unauthorized) }
        coreContext = context.coreContext
        self.person = person
        form = context.form
        peerAddress = context.peerAddress
    }
}
