import BlankettCore
import BlankettPostgres

/// The API's JSON shapes (documented in `Resources/openapi.yaml`).
enum APIRepresentation {
    static func finding(_ finding: Finding) -> JSONValue {
        var object = finding.json
        object["step"] = .string(finding.step)
        return .object(object)
    }

    static func caseSummary(_ record: CaseRecord, definition: FormDefinition?) -> JSONObject {
        var object: JSONObject = [
            "id": .string(record.id.uuid),
            "organisation": .object(["id": .string(record.organisationID.uuid), "name": .string(record.organisationName)]),
            "round": .object(["id": .string(record.roundID.uuid), "key": .string(record.roundKey), "title": .string(record.roundTitle)]),
            "form": .object([
                "id": .string(record.formID),
                "title": .string(definition?.title ?? record.formID),
                "grant": definition.map { .string($0.grant) } ?? .null,
                "kind": definition.map { .string($0.kind) } ?? .null,
            ]),
            "period": .object(["start": .string(record.periodStart.description), "end": .string(record.periodEnd.description)]),
            "deadline": .string(record.deadline.description),
            "state": .string(record.state.rawValue),
            "stateName": .string(record.state.swedishName),
            "answersVersion": JSONValue(record.answersVersion),
            "signatures": JSONValue(record.workflow.signers.count),
            "requiredSignatures": JSONValue(record.workflow.requiredSignatures),
            "formSent": .bool(record.workflow.formSent),
            "decisionSent": .bool(record.workflow.decisionSent),
        ]
        object["namndDiarienummer"] = record.workflow.namndDiarienummer.map { .string($0.formatted) } ?? .null
        object["authorityDiarienummer"] = record.workflow.authorityDiarienummer.map { .string($0.formatted) } ?? .null
        object["decision"] = record.workflow.decision?.json ?? .null
        return object
    }

    static func caseDetail(_ record: CaseRecord, definition: FormDefinition, transitions: [CaseCommand.Kind]) -> JSONValue {
        var object = caseSummary(record, definition: definition)
        object["steps"] = .array(definition.steps.map { step in
            .object(["id": .string(step.id), "title": .string(step.title), "fields": .array(step.fields.map { .string($0.id) })])
        })
        object["answers"] = record.answers
        object["transitions"] = self.transitions(transitions, record: record)
        return .object(object)
    }

    static func transitions(_ transitions: [CaseCommand.Kind], record: CaseRecord) -> JSONValue {
        .array(transitions.map { transition in
            .object([
                "name": .string(transition.rawValue),
                "title": .string(transition.title),
                "explanation": .string(transition.explanation(for: record)),
                "inputs": .array(transition.inputNames.map(JSONValue.string)),
            ])
        })
    }

    /// The stored answers of one step's top-level fields.
    static func stepAnswers(_ record: CaseRecord, step: Step) -> JSONValue {
        let stored = record.answers.objectValue ?? JSONObject()
        return .object(JSONObject(uniqueKeysWithValues: step.fields.compactMap { field in stored[field.id].map { (field.id, $0) } }))
    }
}
