-- What the mail worker needs to deliver the outbox: the finished message
-- (rendered once, in the transaction that asked for it, so a repeated send
-- carries the same Message-ID and bytes), its envelope, a delivery status
-- with retry schedule and the server's last reply; and one row per attempt.

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('form_with_decision', 'form_before_decision', 'decision_follow_up', 'reminder', 'returned_notice'));

ALTER TABLE outbox
    -- The complete RFC 5322 message; NULL only for rows queued before this
    -- migration or without a rendered message, which the worker leaves alone.
    ADD COLUMN message         bytea,
    ADD COLUMN message_id      text,
    ADD COLUMN subject         text,
    -- SMTP envelope: MAIL FROM and every RCPT TO (To and Cc).
    ADD COLUMN sender          text,
    ADD COLUMN recipients      text[] NOT NULL DEFAULT '{}',
    ADD COLUMN status          text NOT NULL DEFAULT 'queued'
                               CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- While sending: when another worker may take the message over (the
    -- sender is presumed crashed; at most one duplicate, same Message-ID).
    ADD COLUMN lease_expires_at timestamptz,
    ADD COLUMN last_reply_code integer,
    ADD COLUMN last_reply      text,
    ADD CONSTRAINT outbox_message_when_sent CHECK (status IN ('queued', 'failed') OR message IS NOT NULL),
    ADD CONSTRAINT outbox_sent_at_when_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL));

CREATE UNIQUE INDEX outbox_message_id ON outbox (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX outbox_case ON outbox (case_id, id);

CREATE TABLE outbox_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id   bigint NOT NULL REFERENCES outbox (id),
    -- outbox.attempts after this attempt was counted (restarts at 1 after a resend).
    number      integer NOT NULL CHECK (number >= 1),
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    -- NULL while sending, or for ever when the worker died during the attempt.
    outcome     text CHECK (outcome IN ('sent', 'temporary_failure', 'permanent_failure')),
    reply_code  integer,
    reply       text,
    error       text,
    CHECK ((outcome IS NULL) = (finished_at IS NULL))
);
CREATE INDEX outbox_attempts_outbox ON outbox_attempts (outbox_id, id);
