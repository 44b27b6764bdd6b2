/// The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.yaml`.
/// `APIDocumentTests` checks that its operations are exactly `APIRoute`'s.
enum APIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: Blankett API
  version: "1"
  summary: Cases of state-grant forms, their answers, validation and workflow.
  description: |
    The same powers as the web pages. Authenticate with an API token
    (`Authorization: Bearer blk_…`, issued by `blankett admin add-token`) or
    with the session cookie of a logged-in browser; with the cookie, requests
    that change something must send the session's CSRF token in `X-CSRF-Token`.

    Answers use the shape of `blankett forms validate` (docs/form-format.md):
    an object keyed by field id; grids and lists as nested objects and arrays;
    numbers and dates as JSON strings the way people type them (`"1 127 386"`,
    `"2,80"`, `"2021-01-04"`) or as JSON numbers.

    Every error is `application/problem+json` (RFC 9457) with a stable `code`
    and a Swedish `detail` that can be shown to the person.
servers:
  - url: /
security:
  - apiToken: []
  - sessionCookie: []
paths:
  /api/v1/me:
    get:
      operationId: getMe
      summary: The authenticated person and their organisations and roles.
      responses:
        "200":
          description: The person.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Me" }
        "401": { $ref: "#/components/responses/Problem" }
  /api/v1/cases:
    get:
      operationId: listCases
      summary: The cases of the person's organisations, by deadline.
      parameters:
        - { name: organisation, in: query, schema: { type: string, format: uuid } }
        - { name: grant, in: query, description: "The form's grant, e.g. personligt-ombud.", schema: { type: string } }
        - { name: state, in: query, schema: { $ref: "#/components/schemas/State" } }
        - { name: year, in: query, description: The year the reporting period ends., schema: { type: integer } }
      responses:
        "200":
          description: The cases.
          content:
            application/json:
              schema:
                type: object
                required: [cases]
                properties:
                  cases: { type: array, items: { $ref: "#/components/schemas/CaseSummary" } }
        "400": { $ref: "#/components/responses/Problem" }
        "401": { $ref: "#/components/responses/Problem" }
        "404": { $ref: "#/components/responses/Problem" }
    post:
      operationId: createCase
      summary: Start a case of a grant round for an organisation (editors).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [round, organisation]
              properties:
                round: { type: string, format: uuid }
                organisation: { type: string, format: uuid }
      responses:
        "201":
          description: The new case.
          headers:
            Location: { schema: { type: string } }
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Case" }
        "400": { $ref: "#/components/responses/Problem" }
        "401": { $ref: "#/components/responses/Problem" }
        "403": { $ref: "#/components/responses/Problem" }
        "404": { $ref: "#/components/responses/Problem" }
        "409": { $ref: "#/components/responses/Problem" }
        "422": { $ref: "#/components/responses/Problem" }
  /api/v1/cases/{id}:
    parameters:
      - { $ref: "#/components/parameters/CaseID" }
    get:
      operationId: getCase
      summary: One case with its steps, answers and the transitions open to the caller.
      responses:
        "200":
          description: The case.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Case" }
        "401": { $ref: "#/components/responses/Problem" }
        "404": { $ref: "#/components/responses/Problem" }
  /api/v1/cases/{id}/steps/{step}:
    parameters:
      - { $ref: "#/components/parameters/CaseID" }
      - { name: step, in: path, required: true, schema: { type: string } }
    get:
      operationId: getStep
      summary: One step's answers, the answers version, and the step's findings.
      responses:
        "200":
          description: The step.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Step" }
        "401": { $ref: "#/components/responses/Problem" }
        "404": { $ref: "#/components/responses/Problem" }
    put:
      operationId: putStep
      summary: Replace one step's answers (editors, in draft).
      description: |
        `answers` holds the step's top-level fields; a field left out is
        cleared, computed and prefilled fields are ignored, answers to
        questions not asked are dropped (listed in `dropped`). A draft may
        have errors: they come back as `findings` and the answers are saved.
        When someone saved since `answersVersion`, nothing is saved and the
        409 problem lists what changed (`changes`, `currentVersion`).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [answersVersion, answers]
              properties:
                answersVersion: { type: integer, minimum: 0 }
                answers: { type: object }
      responses:
        "200":
          description: Saved (or nothing changed).
          content:
            application/json:
              schema:
                type: object
                required: [answersVersion, saved, changes, dropped, findings]
                properties:
                  answersVersion: { type: integer }
                  saved: { type: boolean }
                  changes: { type: array, items: { $ref: "#/components/schemas/Change" } }
                  dropped: { type: array, items: { type: string } }
                  findings: { type: array, items: { $ref: "#/components/schemas/Finding" } }
        "400": { $ref: "#/components/responses/Problem" }
        "401": { $ref: "#/components/responses/Problem" }
        "403": { $ref: "#/components/responses/Problem" }
        "404": { $ref: "#/components/responses/Problem" }
        "409": { $ref: "#/components/responses/Problem" }
        "413": { $ref: "#/components/responses/Problem" }
        "415": { $ref: "#/components/responses/Problem" }
        "422": { $ref: "#/components/responses/Problem" }
  /api/v1/cases/{id}/validation:
    parameters:
      - { $ref: "#/components/parameters/CaseID" }
    get:
      operationId: validateCase
      summary: The engine's findings for the whole form as stored.
      responses:
        "200":
          description: The findings.
          content:
            application/json:
              schema:
                type: object
                required: [valid, errors, warnings, findings, dropped]
                properties:
                  valid: { type: boolean }
                  errors: { type: integer }
                  warnings: { type: integer }
                  findings: { type: array, items: { $ref: "#/components/schemas/Finding" } }
                  dropped: { type: array, items: { type: string } }
        "401": { $ref: "#/components/responses/Problem" }
        "404": { $ref: "#/components/responses/Problem" }
  /api/v1/cases/{id}/transitions:
    parameters:
      - { $ref: "#/components/parameters/CaseID" }
    get:
      operationId: listTransitions
      summary: The transitions the caller may ask for now, with the inputs each reads.
      responses:
        "200":
          description: The transitions.
          content:
            application/json:
              schema:
                type: object
                required: [state, transitions]
                properties:
                  state: { $ref: "#/components/schemas/State" }
                  transitions: { type: array, items: { $ref: "#/components/schemas/Transition" } }
        "401": { $ref: "#/components/responses/Problem" }
        "404": { $ref: "#/components/responses/Problem" }
  /api/v1/cases/{id}/transitions/{transition}:
    parameters:
      - { $ref: "#/components/parameters/CaseID" }
      - name: transition
        in: path
        required: true
        schema:
          type: string
          enum: [mark_ready, recall, sign, return, register, decide, send, send_decision, receive]
    post:
      operationId: performTransition
      summary: Perform a transition.
      description: |
        The body holds the transition's inputs and nothing else:
        mark_ready `acknowledgements` ({"code@path": "comment"} for each warning);
        sign `password` (the signer's, again); return `comment`;
        register `diarienummer` (left out: the nämnd's next number);
        decide `meeting_date` (YYYY-MM-DD), `paragraph`, `text`, `outcome` (approved | rejected);
        receive `authority_diarienummer`. An empty object for the others.
        A refusal because of the answers (errors, unacknowledged warnings)
        carries the engine's `findings`.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                acknowledgements: { type: object, additionalProperties: { type: string } }
                password: { type: string }
                comment: { type: string }
                diarienummer: { type: string }
                meeting_date: { type: string, format: date }
                paragraph: { type: string }
                text: { type: string }
                outcome: { type: string, enum: [approved, rejected] }
                authority_diarienummer: { type: string }
      responses:
        "200":
          description: The case after the transition.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Case" }
        "400": { $ref: "#/components/responses/Problem" }
        "401": { $ref: "#/components/responses/Problem" }
        "403": { $ref: "#/components/responses/Problem" }
        "404": { $ref: "#/components/responses/Problem" }
        "409": { $ref: "#/components/responses/Problem" }
        "422": { $ref: "#/components/responses/Problem" }
  /api/v1/openapi.yaml:
    get:
      operationId: getDocument
      summary: This document.
      security: []
      responses:
        "200":
          description: OpenAPI 3.1 YAML.
          content:
            application/yaml: {}
components:
  securitySchemes:
    apiToken: { type: http, scheme: bearer }
    sessionCookie: { type: apiKey, in: cookie, name: blankett_session }
  parameters:
    CaseID: { name: id, in: path, required: true, schema: { type: string, format: uuid } }
  responses:
    Problem:
      description: An RFC 9457 problem.
      content:
        application/problem+json:
          schema: { $ref: "#/components/schemas/Problem" }
  schemas:
    State:
      type: string
      enum: [draft, ready, partly_signed, signed, registered, decided, sent, received]
    Finding:
      type: object
      required: [path, severity, code, message, step]
      properties:
        path: { type: string, examples: ["klienter.nya.kvinnor.18-29"] }
        severity: { type: string, enum: [error, warning] }
        code: { type: string }
        message: { type: string, description: Swedish. }
        step: { type: string }
    Change:
      type: object
      required: [path]
      properties:
        path: { type: string }
        label: { type: string }
        before: {}
        after: {}
    Transition:
      type: object
      required: [name, title, explanation, inputs]
      properties:
        name: { type: string }
        title: { type: string }
        explanation: { type: string }
        inputs: { type: array, items: { type: string } }
    Me:
      type: object
      required: [id, name, email, organisations]
      properties:
        id: { type: string, format: uuid }
        name: { type: string }
        email: { type: string }
        organisations:
          type: array
          items:
            type: object
            properties:
              id: { type: string, format: uuid }
              name: { type: string }
              roles: { type: array, items: { type: string, enum: [editor, signatory, secretary, admin] } }
    CaseSummary:
      type: object
      required: [id, organisation, round, form, period, deadline, state, stateName, answersVersion]
      properties:
        id: { type: string, format: uuid }
        organisation: { type: object, properties: { id: { type: string }, name: { type: string } } }
        round: { type: object, properties: { id: { type: string }, key: { type: string }, title: { type: string } } }
        form: { type: object, properties: { id: { type: string }, title: { type: string }, grant: { type: [string, "null"] }, kind: { type: [string, "null"] } } }
        period: { type: object, properties: { start: { type: string, format: date }, end: { type: string, format: date } } }
        deadline: { type: string, format: date }
        state: { $ref: "#/components/schemas/State" }
        stateName: { type: string, description: Swedish. }
        answersVersion: { type: integer }
        signatures: { type: integer }
        requiredSignatures: { type: integer }
        formSent: { type: boolean }
        decisionSent: { type: boolean }
        namndDiarienummer: { type: [string, "null"] }
        authorityDiarienummer: { type: [string, "null"] }
        decision:
          oneOf:
            - type: "null"
            - type: object
              properties:
                meeting_date: { type: string, format: date }
                paragraph: { type: string }
                text: { type: string }
                outcome: { type: string, enum: [approved, rejected] }
    Case:
      allOf:
        - $ref: "#/components/schemas/CaseSummary"
        - type: object
          required: [steps, answers, transitions]
          properties:
            steps:
              type: array
              items:
                type: object
                properties:
                  id: { type: string }
                  title: { type: string }
                  fields: { type: array, items: { type: string } }
            answers: { type: object }
            transitions: { type: array, items: { $ref: "#/components/schemas/Transition" } }
    Step:
      type: object
      required: [caseId, step, title, answersVersion, answers, findings]
      properties:
        caseId: { type: string, format: uuid }
        step: { type: string }
        title: { type: string }
        answersVersion: { type: integer }
        answers: { type: object }
        findings: { type: array, items: { $ref: "#/components/schemas/Finding" } }
    Problem:
      type: object
      required: [type, title, status, detail, code]
      properties:
        type: { type: string, format: uri, examples: ["urn:blankett:problem:conflict"] }
        title: { type: string }
        status: { type: integer }
        detail: { type: string, description: Swedish, for the person. }
        code: { type: string }
        workflowCode: { type: string }
        parameter: { type: string }
        findings: { type: array, items: { $ref: "#/components/schemas/Finding" } }
        changes: { type: array, items: { $ref: "#/components/schemas/Change" } }
        currentVersion: { type: integer }
"""#
}
