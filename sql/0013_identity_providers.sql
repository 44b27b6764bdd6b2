-- Sign-in through a kommun's own identity provider (OpenID Connect).
--
-- One provider per organisation (a kommun; its units sign in through it).
-- Blankett never creates a person because the provider knows them: the
-- asserted identity must match a person who already belongs to the
-- organisation (or one of its units).
CREATE TABLE identity_providers (
    organisation_id    uuid PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    -- Shown on the sign-in button: "Logga in med <display_name>".
    display_name       text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    issuer             text NOT NULL CHECK (issuer ~ '^https://[^[:space:]]+$' AND length(issuer) <= 300),
    client_id          text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 200),
    -- Where the client secret is, never the secret: env:NAME or file:/path.
    client_secret_from text NOT NULL CHECK (client_secret_from ~ '^(env:[A-Z_][A-Z0-9_]*|file:/[^[:cntrl:]]+)$'
                                            AND length(client_secret_from) <= 500),
    -- The claim that names the person: email (default), upn, an employee id …
    identity_claim     text NOT NULL DEFAULT 'email' CHECK (identity_claim ~ '^[A-Za-z0-9_:.-]{1,100}$'),
    -- For an e-mail claim: the domains it may have (empty: any).
    allowed_domains    text[] NOT NULL DEFAULT '{}',
    -- The assurance levels (acr) a signature needs; empty: any the provider gives.
    signing_acr_values text[] NOT NULL DEFAULT '{}',
    -- Whether the organisation's people may still sign in with a Blankett password.
    passwords_allowed  boolean NOT NULL DEFAULT true,
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- An authentication request on its way through the provider: what the
-- callback must find again. Keyed by the SHA-256 of `state`; consumed once.
CREATE TABLE oidc_requests (
    state_sha256    text PRIMARY KEY CHECK (state_sha256 ~ '^[0-9a-f]{64}$'),
    organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    nonce           text NOT NULL,
    code_verifier   text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL
);
CREATE INDEX oidc_requests_expiry ON oidc_requests (expires_at);

-- Sign-ins the provider vouched for but Blankett refused (no such person,
-- a domain not allowed): the administrator sees them on the organisation's page.
CREATE TABLE oidc_refusals (
    id              bigserial PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL DEFAULT now(),
    identity        text NOT NULL CHECK (length(identity) <= 320),
    reason          text NOT NULL CHECK (length(reason) <= 300)
);
CREATE INDEX oidc_refusals_organisation ON oidc_refusals (organisation_id, at DESC);

-- A session opened through a provider remembers it, for single logout.
ALTER TABLE sessions
    ADD COLUMN idp_organisation_id uuid REFERENCES organisations (id) ON DELETE CASCADE,
    ADD COLUMN idp_session_id text CHECK (length(idp_session_id) <= 300);
