-- The grant cycle: authorities of one county each, rounds that name the
-- report-back their applications feed, the authority's decision on an
-- application, and the history of the values a round gives an organisation.

-- Län code (01 Stockholm, 12 Skåne, …). An authority without one (Socialstyrelsen)
-- serves the whole country; a Länsstyrelse serves the kommuner of its county.
ALTER TABLE organisations ADD COLUMN county text CHECK (county ~ '^[0-9]{2}$');
ALTER TABLE authorities
    ADD COLUMN county text CHECK (county ~ '^[0-9]{2}$'),
    ADD COLUMN postal_address text NOT NULL DEFAULT '' CHECK (length(postal_address) <= 300),
    -- An authority that takes the form in its own e-service as well (Socialstyrelsen's
    -- web form) and the signed printout by e-mail: sending records the e-service's reference.
    ADD COLUMN eservice_name text CHECK (length(eservice_name) BETWEEN 1 AND 200);

ALTER TABLE grant_rounds
    -- The grant's name as the authority writes it, for subject lines and texts.
    ADD COLUMN grant_name text NOT NULL DEFAULT '' CHECK (length(grant_name) <= 300),
    -- An application round's report-back: the authority's decision on an
    -- application becomes the organisation's values in that round.
    ADD COLUMN report_back_round_id uuid REFERENCES grant_rounds (id) CHECK (report_back_round_id IS DISTINCT FROM id);

-- {"diarienummer", "date", "values"} once the secretary has recorded it.
ALTER TABLE cases
    ADD COLUMN authority_grant jsonb CHECK (authority_grant IS NULL OR jsonb_typeof(authority_grant) = 'object'),
    ADD COLUMN eservice_reference text CHECK (length(eservice_reference) BETWEEN 1 AND 100);

-- Every change of what a round gives an organisation: by an administrator,
-- or by the authority's decision recorded on an application case.
CREATE TABLE round_value_events (
    id              bigserial PRIMARY KEY,
    round_id        uuid NOT NULL REFERENCES grant_rounds (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    -- Null for the server's own tools (blankett admin, demo data).
    user_id         uuid REFERENCES users (id),
    -- The application case whose decision gave the values, and its event.
    case_id         uuid REFERENCES cases (id),
    case_event_id   bigint,
    inputs_before   jsonb NOT NULL,
    inputs_after    jsonb NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX round_value_events_round ON round_value_events (round_id, organisation_id, id);
