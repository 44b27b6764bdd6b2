# Build with the official Swift image, run on a slim Debian with only the C
# libraries Blankett links against. Used by docker-compose.yml.
FROM swift:6.2-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev pkg-config libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product blankett --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/blankett" /usr/local/bin/blankett

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libcurl4 ca-certificates fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /app blankett
WORKDIR /app
COPY --from=build /usr/local/bin/blankett /usr/local/bin/blankett
COPY sql ./sql
COPY forms ./forms
ENV BLANKETT_ROOT=/app BLANKETT_HOST=0.0.0.0 BLANKETT_PORT=8080
USER blankett
EXPOSE 8080
ENTRYPOINT ["blankett"]
CMD ["serve"]
