-- Deadline reminders sent, one row per case and threshold (14, 7 or 1 days
-- before the deadline), so that each is sent at most once however often the
-- reminder job runs.
CREATE TABLE case_reminders (
    case_id        uuid NOT NULL REFERENCES cases (id),
    days_before    integer NOT NULL CHECK (days_before > 0),
    sent_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, days_before)
);
