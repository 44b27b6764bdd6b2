-- Organisations and their people, the authorities and grant rounds, and the
-- cases that carry one form from draft to the authority, with their
-- signatures and an append-only audit trail.

CREATE TABLE organisations (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- A kommun has its own; a sub-unit (stadsdelsförvaltning) uses its parent's.
    organisationsnummer text CHECK (organisationsnummer ~ '^[0-9]{6}-[0-9]{4}$'),
    parent_id           uuid REFERENCES organisations (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS NOT NULL OR organisationsnummer IS NOT NULL),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX organisations_top_level_number ON organisations (organisationsnummer) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX organisations_name_per_parent ON organisations (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));

CREATE TABLE namnder (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- The letters of its diarienummer: SN in "SN 2021:1".
    diarium_prefix  text NOT NULL CHECK (diarium_prefix ~ '^[A-ZÅÄÖ]{1,6}$'),
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    title         text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE memberships (
    user_id         uuid NOT NULL REFERENCES users (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    role            text NOT NULL CHECK (role IN ('editor', 'signatory', 'secretary', 'admin')),
    PRIMARY KEY (user_id, organisation_id, role)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE authorities (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key              text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9-]+$'),
    name             text NOT NULL,
    recipient_email  text NOT NULL CHECK (recipient_email ~ '^[^@\s]+@[^@\s]+$'),
    -- {grant}, {form}, {organisation}, {year} and {diarienummer} are filled in.
    subject_template text NOT NULL
);

CREATE TABLE grant_rounds (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key                 text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9-]+$'),
    title               text NOT NULL,
    -- FormDefinition.id, e.g. po-redovisning-2020: one file in forms/.
    form_id             text NOT NULL,
    authority_id        uuid NOT NULL REFERENCES authorities (id),
    period_start        date NOT NULL,
    period_end          date NOT NULL,
    deadline            date NOT NULL,
    required_signatures integer NOT NULL DEFAULT 1 CHECK (required_signatures BETWEEN 1 AND 2),
    CHECK (period_end >= period_start)
);

-- What the round gives each organisation (granted amount, posts): the
-- form's round_inputs, read-only in the case.
CREATE TABLE round_prefills (
    round_id        uuid NOT NULL REFERENCES grant_rounds (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    inputs          jsonb NOT NULL CHECK (jsonb_typeof(inputs) = 'object'),
    PRIMARY KEY (round_id, organisation_id)
);

CREATE TABLE cases (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id        uuid NOT NULL REFERENCES organisations (id),
    round_id               uuid NOT NULL REFERENCES grant_rounds (id),
    namnd_id               uuid REFERENCES namnder (id),
    -- The form version the case was started on, and the hash of its text:
    -- a case keeps its version even when a newer one is published.
    form_id                text NOT NULL,
    form_sha256            text NOT NULL CHECK (form_sha256 ~ '^[0-9a-f]{64}$'),
    state                  text NOT NULL DEFAULT 'draft'
                           CHECK (state IN ('draft', 'ready', 'partly_signed', 'signed', 'registered', 'decided', 'sent', 'received')),
    answers                jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object'),
    answers_version        integer NOT NULL DEFAULT 1 CHECK (answers_version >= 1),
    required_signatures    integer NOT NULL CHECK (required_signatures BETWEEN 1 AND 2),
    namnd_diarienummer     text,
    namnd_diarienummer_year integer,
    namnd_diarienummer_number integer,
    decision               jsonb,
    form_sent              boolean NOT NULL DEFAULT false,
    decision_sent          boolean NOT NULL DEFAULT false,
    authority_diarienummer text,
    created_by             uuid NOT NULL REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organisation_id, round_id),
    -- Unique per organisation; the number carries its year (SN 2021:1).
    UNIQUE (organisation_id, namnd_diarienummer)
);
CREATE INDEX cases_round ON cases (round_id);

-- Every saved version of a case's answers: a stale save is told what
-- changed since the version it edited, and a return can be diffed.
CREATE TABLE case_answer_versions (
    case_id  uuid NOT NULL REFERENCES cases (id),
    version  integer NOT NULL,
    answers  jsonb NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, version)
);

CREATE TABLE case_signatures (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id          uuid NOT NULL REFERENCES cases (id),
    sequence         integer NOT NULL CHECK (sequence BETWEEN 1 AND 2),
    signer_id        uuid NOT NULL REFERENCES users (id),
    signer_name      text NOT NULL,
    signer_title     text NOT NULL,
    -- The exact text the seal covers, next to the time for queries.
    signed_at        timestamptz NOT NULL,
    signed_at_text   text NOT NULL,
    snapshot         bytea NOT NULL,
    snapshot_sha256  text NOT NULL CHECK (snapshot_sha256 ~ '^[0-9a-f]{64}$'),
    seal             bytea NOT NULL,
    public_key       bytea NOT NULL,
    voided_at        timestamptz,
    voided_by_event  bigint
);
CREATE UNIQUE INDEX case_signatures_valid ON case_signatures (case_id, sequence) WHERE voided_at IS NULL;

-- The audit trail: who did what, when, from which state to which, with the
-- answer diff or comment. Append-only, enforced by the database itself.
CREATE TABLE case_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    actor_id        uuid REFERENCES users (id),
    actor_name      text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    kind            text NOT NULL,
    from_state      text,
    to_state        text,
    comment         text,
    details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE FUNCTION case_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_refuse_change();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_refuse_change();

-- Messages to the authorities, written in the transaction of the transition
-- that asks for them; the mail worker sends them.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    kind            text NOT NULL CHECK (kind IN ('form_with_decision', 'form_before_decision', 'decision_follow_up')),
    recipient       text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text
);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;
