-- Tokens for the JSON API (`Authorization: Bearer …`): a person's programs
-- act with that person's roles. Like sessions, only the SHA-256 is kept.
CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id),
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    token_sha256 text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
