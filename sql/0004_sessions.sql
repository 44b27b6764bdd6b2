-- Login sessions, kept in the database so that several app instances behind
-- a load balancer share them, and failed logins for throttling.
CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a copy of this table logs nobody in.
    token_sha256     text PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id),
    csrf_token       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    -- The organisation the person is working in now.
    organisation_id  uuid REFERENCES organisations (id)
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    email text NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email ON login_failures (lower(email), at);
