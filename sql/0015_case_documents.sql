-- The PDFs as they were attached to the messages to the authority: the form
-- with its PAdES signatures and the nämnd's decision. Written in the
-- transaction that queues the message, never changed, so that the archive
-- export (`blankett export`) hands over exactly what was sent without
-- reading it back out of the MIME message.
CREATE TABLE case_documents (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    outbox_id   bigint NOT NULL REFERENCES outbox (id),
    kind        text NOT NULL CHECK (kind IN ('form', 'decision')),
    filename    text NOT NULL CHECK (filename ~ '^[^/\\]{1,200}\.pdf$'),
    content     bytea NOT NULL,
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_documents_case ON case_documents (case_id, id);

CREATE FUNCTION case_documents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_documents keeps what was sent: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER case_documents_append_only BEFORE UPDATE OR DELETE ON case_documents
    FOR EACH ROW EXECUTE FUNCTION case_documents_refuse_change();
