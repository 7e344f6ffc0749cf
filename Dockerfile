# citebot, the Telegram bot, in a small non-root image.
#   docker build -t citebot .
#   docker run --rm --env-file .env citebot            # long polling; TELOXIDE_TOKEN from the environment
# The image holds the binary, knowledge/ and config/; the token is never baked in.
# `docker stop` sends SIGTERM: the bot stops gracefully within a few seconds.

# --- build ---------------------------------------------------------------------------------
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY benches ./benches
COPY src ./src
RUN cargo build --release --locked --bin citebot

# --- run -----------------------------------------------------------------------------------
# Distroless (Debian 12, same glibc as the build stage): no shell, no package manager, and a
# non-root user (uid 65532). TLS roots are compiled into the binary (webpki-roots).
FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /src/target/release/citebot /usr/local/bin/citebot
COPY knowledge ./knowledge
COPY config ./config
ENV RUST_LOG=info
USER 65532:65532
# Webhook mode only (citebot serve --webhook-url …): the HTTP server and GET /healthz.
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/citebot"]
CMD ["serve"]
