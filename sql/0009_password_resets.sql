-- Resetting one's own password by an e-mailed one-time link.
--
-- The link carries 32 random bytes (base64url); only their SHA-256 (hex) is
-- stored, so a copy of this table resets nobody's password. A link lives one
-- hour and is used once: it is consumed by one
-- `UPDATE … WHERE used_at IS NULL AND expires_at > now() RETURNING`, so two
-- parallel uses cannot both succeed. At most 3 links per person per hour.
CREATE TABLE password_resets (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- The link goes through the outbox like every other message, but belongs to
-- a person, not to a case: such a row has neither case nor organisation.
ALTER TABLE outbox ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE outbox ALTER COLUMN organisation_id DROP NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('form_with_decision', 'form_before_decision', 'decision_follow_up', 'reminder', 'returned_notice', 'password_reset'));
ALTER TABLE outbox ADD CONSTRAINT outbox_case_unless_personal
    CHECK (kind = 'password_reset' OR (case_id IS NOT NULL AND organisation_id IS NOT NULL));
