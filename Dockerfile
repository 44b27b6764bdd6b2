# Blankett's container image: built with the official Swift image, run on a
# slim Debian with exactly the shared libraries the binary links against.
# Used by docker-compose.yml. scripts/check-image (run by scripts/test) proves
# the package lists below against Package.swift and the binary, no engine needed.

FROM swift:6.2.1-bookworm AS build
# pkg-config and the -dev packages of Package.swift's `providers: [.apt([...])]`,
# no more and no fewer (scripts/check-image fails when the two differ).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       pkg-config \
       libpq-dev \
       libcurl4-openssl-dev \
       libcairo2-dev \
       libpango1.0-dev \
       zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
# SwiftPM wants every declared target's folder, test targets included.
COPY Tests ./Tests
# The Swift standard library, Foundation and Dispatch linked in: the runtime
# stage needs no Swift toolchain.
# The templates and the OpenAPI document are a resource bundle that must sit
# beside the binary (scripts/check-image fails when one is not copied).
RUN swift build -c release --product blankett --static-swift-stdlib \
    && bin="$(swift build -c release --show-bin-path)" \
    && install -D -m 755 "$bin/blankett" /out/blankett \
    && cp -R "$bin/Blankett_BlankettWeb.resources" /out/

FROM debian:12.11-slim
# The packages of the libraries the binary links (apt brings what those need),
# DejaVu Sans with Swedish letters for the PDFs, and the CA certificates for
# SMTP over TLS. Nothing else (scripts/check-image fails on an extra package).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libpq5 \
       libcurl4 \
       libcairo2 \
       libpango-1.0-0 \
       libpangocairo-1.0-0 \
       libglib2.0-0 \
       libharfbuzz0b \
       fonts-dejavu-core \
       ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin blankett \
    && install -d -o blankett -g blankett -m 700 /var/lib/blankett /var/lib/blankett/keys \
    && install -d -o blankett -g blankett -m 750 /var/lib/blankett/mail
WORKDIR /app
COPY --from=build /out/blankett /usr/local/bin/blankett
COPY --from=build /out/Blankett_BlankettWeb.resources /usr/local/bin/Blankett_BlankettWeb.resources
COPY deploy/container-init /usr/local/bin/blankett-init
COPY sql ./sql
COPY forms ./forms
# `blankett demo` starts Botkyrka's draft from this file.
COPY Tests/BlankettCoreTests/Fixtures/po-redovisning-2020-botkyrka.json ./Tests/BlankettCoreTests/Fixtures/
# The key lives in a volume (or a mounted secret: point BLANKETT_SIGNING_KEY_FILE
# at it); the folder is owned by the user so that `blankett-init` can write it.
# The PDF seal defaults to a development certificate in keys/seal/; a kommun
# mounts its e-sigill and sets BLANKETT_SEAL_CERTIFICATE_FILE and BLANKETT_SEAL_KEY_FILE.
ENV BLANKETT_ROOT=/app \
    BLANKETT_HOST=0.0.0.0 \
    BLANKETT_PORT=8080 \
    BLANKETT_SIGNING_KEY_FILE=/var/lib/blankett/keys/signing-key \
    BLANKETT_MAIL_FOLDER=/var/lib/blankett/mail
USER blankett:blankett
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["blankett"]
CMD ["serve"]
