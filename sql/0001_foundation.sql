-- Foundation. Later migrations add organisations, users, grant rounds, cases
-- and the audit trail. This one records when the database was set up, which the
-- readiness probe reads to prove the schema is reachable.
CREATE TABLE app_instance (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO app_instance DEFAULT VALUES;
