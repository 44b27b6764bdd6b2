-- Sign-in throttling that holds under concurrency and cannot be turned
-- against the owner of an account (replaces login_failures, which grew
-- without bound and held the typed addresses).
--
-- One row per counter; every sign-in attempt reserves a slot in its three
-- counters in ONE statement (INSERT … ON CONFLICT … RETURNING) before the
-- password is hashed, so parallel attempts cannot all see "under the limit":
--   address-client  the address tried from one client (IP): 5 in 15 minutes,
--                   then 429 for that client only; the owner elsewhere is
--                   unaffected, and a success clears the counter;
--   client          every address tried from one client: 30 in 15 minutes;
--   address         the address from all clients: after 10 in 15 minutes a
--                   growing spacing between admitted attempts (2, 4, 8 … at
--                   most 60 s), a slow-down rather than a lock.
-- Keys are SHA-256 digests (hex): no address, e-mail or IP is stored. Rows
-- expire with their window and are deleted by later attempts.
DROP TABLE login_failures;

CREATE TABLE login_throttle (
    scope           text NOT NULL CHECK (scope IN ('address-client', 'client', 'address')),
    key             text NOT NULL CHECK (key ~ '^[0-9a-f]{64}$'),
    attempts        integer NOT NULL CHECK (attempts >= 0),
    window_start    timestamptz NOT NULL,
    -- For the address counter past its limit: the earliest next admitted attempt.
    next_allowed_at timestamptz NOT NULL DEFAULT '-infinity',
    -- Whether the attempt that last touched the row was admitted by it.
    admitted        boolean NOT NULL DEFAULT true,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX login_throttle_expires ON login_throttle (expires_at);

-- API tokens expire: a token is issued for a number of days (default 90);
-- an expired token is refused like a revoked one. Tokens issued before this
-- migration get 90 days from now.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
UPDATE api_tokens SET expires_at = now() + interval '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
