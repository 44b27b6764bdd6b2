// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Blankett",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "blankett", targets: ["blankett"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", exact: "5.8.0"),
        // Both also come with jwt-kit; named here because BlankettPDF imports them.
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", exact: "1.7.4"),
    ],
    targets: [
        // Pure domain: form definitions, values, expressions, validation,
        // workflow, signing. No I/O.
        .target(
            name: "BlankettCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "BlankettPostgres",
            dependencies: [
                "BlankettCore",
                "CLibPQ",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What transitions and deadlines send: the expediering with its PDFs, the
        // returned notice, deadline reminders. Used by the web and the CLI alike.
        .target(
            name: "BlankettDispatch",
            dependencies: [
                "BlankettCore",
                "BlankettPostgres",
                "BlankettMail",
                "BlankettPDF",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Sign-in through an organisation's OpenID Provider: discovery, keys
        // and the token endpoint over libcurl, ID tokens checked with jwt-kit.
        .target(
            name: "BlankettIdentity",
            dependencies: [
                "BlankettCore",
                "BlankettMail",
                "CCurl",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BlankettWeb",
            dependencies: [
                "BlankettCore",
                "BlankettIdentity",
                "BlankettPostgres",
                "BlankettMail",
                "BlankettDispatch",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Templates and the OpenAPI document, edited as files; the build
            // puts them in Blankett_BlankettWeb.resources beside the executable.
            resources: [.copy("Resources/templates"), .copy("Resources/openapi.yaml")]
        ),
        .executableTarget(
            name: "blankett",
            dependencies: [
                "BlankettCore",
                "BlankettPDF",
                "BlankettIdentity",
                "BlankettPostgres",
                "BlankettWeb",
                "BlankettMail",
                "BlankettDispatch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // MIME messages (pure), SMTP over libcurl, the folder transport, the outbox and its worker.
        .target(
            name: "BlankettMail",
            dependencies: [
                "BlankettCore",
                "BlankettPostgres",
                "CCurl",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // `swift run -c release blankett-mail-bench`: SMTP (aiosmtpd) and folder delivery speed.
        .executableTarget(
            name: "blankett-mail-bench",
            dependencies: ["BlankettMail", "BlankettTestSupport"]
        ),
        // Cairo + Pango for PDF rendering (pkg-config "pangocairo").
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]
        ),
        // zlib: page content streams are inflated and deflated again to mark
        // the page frame as an artifact (pkg-config "zlib").
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Forms and decisions rendered to PDF; pure, no database.
        .target(
            name: "BlankettPDF",
            dependencies: [
                "BlankettCore",
                "CPangoCairo",
                "CZlib",
                // PAdES signatures: CMS from swift-certificates (already built for jwt-kit).
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // `swift run -c release blankett-pdf-bench`: PDF rendering speed of the PO redovisning.
        .executableTarget(
            name: "blankett-pdf-bench",
            dependencies: ["BlankettCore", "BlankettPDF"]
        ),
        // Runs poppler's pdftotext / pdfinfo / pdftoppm (poppler-utils).
        .testTarget(
            name: "BlankettPDFTests",
            dependencies: ["BlankettCore", "BlankettPDF"]
        ),
        // `swift run -c release blankett-bench`: validation speed of the real forms.
        .executableTarget(
            name: "blankett-bench",
            dependencies: ["BlankettCore"]
        ),
        .testTarget(
            name: "BlankettCoreTests",
            dependencies: ["BlankettCore", "BlankettTestSupport"],
            exclude: ["Fixtures"]
        ),
        // Runs the built executable; scripts/test passes its path in BLANKETT_BIN.
        .testTarget(
            name: "BlankettCLITests",
            dependencies: ["BlankettCore", "BlankettPostgres", "BlankettTestSupport"]
        ),
        // Helpers for tests that need the throwaway PostgreSQL cluster of scripts/test,
        // a real SMTP server (aiosmtpd) and an independent MIME parser (Python's email).
        .target(
            name: "BlankettTestSupport",
            dependencies: ["BlankettPostgres"]
        ),
        .testTarget(
            name: "BlankettPostgresTests",
            dependencies: ["BlankettPostgres", "BlankettTestSupport"]
        ),
        // Real SMTP (aiosmtpd) and PostgreSQL; started by scripts/test.
        .testTarget(
            name: "BlankettMailTests",
            dependencies: [
                "BlankettMail",
                "BlankettTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BlankettWebTests",
            dependencies: [
                "BlankettCore",
                "BlankettIdentity",
                "BlankettMail",
                "BlankettPostgres",
                "BlankettWeb",
                "BlankettDispatch",
                "BlankettPDF",
                "BlankettTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
