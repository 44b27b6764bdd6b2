-- An administrator gives roles to a person who already has an account in
-- another kommun only by an invitation that person accepts (issue 12, item
-- 7). Until they answer, the administrator's page shows the address the
-- administrator typed and the roles offered, nothing the account holds
-- (name, title, where else the person works). The person sees the
-- invitation on their own dashboard after signing in, so the e-mail carries
-- no secret: accepting needs the invited person's own session.
CREATE TABLE invitations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    email           text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    roles           text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['editor', 'signatory', 'secretary', 'admin']),
    invited_by      uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    answered_at     timestamptz,
    accepted        boolean,
    CHECK ((answered_at IS NULL) = (accepted IS NULL))
);
-- One open invitation per person and organisation: inviting again renews it.
CREATE UNIQUE INDEX invitations_open ON invitations (organisation_id, user_id) WHERE answered_at IS NULL;
CREATE INDEX invitations_user ON invitations (user_id) WHERE answered_at IS NULL;

-- Its mail goes through the outbox, belonging to a person, like a reset link.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('form_with_decision', 'form_before_decision', 'decision_follow_up', 'reminder', 'returned_notice', 'password_reset', 'invitation'));
ALTER TABLE outbox DROP CONSTRAINT outbox_case_unless_personal;
ALTER TABLE outbox ADD CONSTRAINT outbox_case_unless_personal
    CHECK (kind IN ('password_reset', 'invitation') OR (case_id IS NOT NULL AND organisation_id IS NOT NULL));
