-- A list of cases is ordered by deadline, then start, then id, and read a
-- page at a time (the dashboard, the API). The deadline is the round's; kept
-- on the case too, an organisation's page is one index range instead of a
-- join and sort over every case it ever had (issue 15). A round's deadline
-- is never changed once cases exist (no command does it), and a trigger
-- copies it into every new case, whoever inserts it.
ALTER TABLE cases ADD COLUMN deadline date;
UPDATE cases c SET deadline = r.deadline FROM grant_rounds r WHERE r.id = c.round_id;
ALTER TABLE cases ALTER COLUMN deadline SET NOT NULL;
CREATE INDEX cases_list_order ON cases (organisation_id, deadline, created_at, id);

CREATE FUNCTION cases_deadline_from_round() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.deadline := (SELECT deadline FROM grant_rounds WHERE id = NEW.round_id);
    RETURN NEW;
END
$$;
CREATE TRIGGER cases_deadline_from_round BEFORE INSERT OR UPDATE OF round_id ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_deadline_from_round();
