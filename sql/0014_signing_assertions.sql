-- Signing through the organisation's identity provider (step-up): the
-- authentication request remembers that it is for a signature, of which case
-- and by whom, and the signature keeps what the provider asserted (issuer,
-- subject, acr, auth_time, the SHA-256 of the ID token), which its seal covers.
ALTER TABLE oidc_requests
    ADD COLUMN purpose text NOT NULL DEFAULT 'login' CHECK (purpose IN ('login', 'sign')),
    ADD COLUMN case_id uuid REFERENCES cases (id) ON DELETE CASCADE,
    ADD COLUMN user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    ADD CONSTRAINT oidc_requests_sign_names_case CHECK (purpose = 'login' OR (case_id IS NOT NULL AND user_id IS NOT NULL));

ALTER TABLE case_signatures ADD COLUMN assertion jsonb;
