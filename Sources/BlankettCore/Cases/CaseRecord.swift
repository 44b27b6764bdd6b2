/// One case as read for a person who may see it: the form version it keeps,
/// its round, its answers and its workflow.
public struct CaseRecord: Sendable {
    public let id: CaseID
    public let organisationID: OrganisationID
    public let organisationName: String
    /// The kommun's number, also for a sub-unit.
    public let organisationsnummer: String
    public let namndID: NamndID?
    public let roundID: RoundID
    public let roundKey: String
    public let roundTitle: String
    public let formID: String
    public let formSHA256: String
    public let periodStart: LocalDate
    public let periodEnd: LocalDate
    public let deadline: LocalDate
    public let roundInputs: JSONObject
    public let authorityName: String
    public let authorityEmail: String
    public let subjectTemplate: String
    /// The authority's postal address, for the form's texts.
    public let authorityAddress: String
    /// The grant's name as the authority writes it (subject lines, texts).
    public let grantName: String
    /// The round whose form reports back on this one's money (an
    /// application's), which the authority's decision gives its values.
    public let reportBackRoundID: RoundID?
    /// The authority's decision on this application, once recorded.
    public internal(set) var authorityGrant: AuthorityGrant?
    /// The authority's e-service that takes the form besides the signed PDF
    /// by mail (Socialstyrelsen's web form); nil when it takes mail only.
    public let authorityEService: String?
    /// The reference the e-service gave, recorded when the form was sent.
    public internal(set) var eserviceReference: String?
    public internal(set) var answers: JSONValue
    public internal(set) var answersVersion: Int
    public internal(set) var workflow: CaseWorkflow

    public init(
        id: CaseID, organisationID: OrganisationID, organisationName: String, organisationsnummer: String, namndID: NamndID?,
        roundID: RoundID, roundKey: String, roundTitle: String, formID: String, formSHA256: String,
        periodStart: LocalDate, periodEnd: LocalDate, deadline: LocalDate, roundInputs: JSONObject,
        authorityName: String, authorityEmail: String, subjectTemplate: String,
        authorityAddress: String = "", grantName: String = "", reportBackRoundID: RoundID? = nil, authorityGrant: AuthorityGrant? = nil,
        authorityEService: String? = nil, eserviceReference: String? = nil,
        answers: JSONValue, answersVersion: Int, workflow: CaseWorkflow
    ) {
        self.authorityEService = authorityEService
        self.eserviceReference = eserviceReference
        self.authorityAddress = authorityAddress
        self.grantName = grantName
        self.reportBackRoundID = reportBackRoundID
        self.authorityGrant = authorityGrant
        self.id = id
        self.organisationID = organisationID
        self.organisationName = organisationName
        self.organisationsnummer = organisationsnummer
        self.namndID = namndID
        self.roundID = roundID
        self.roundKey = roundKey
        self.roundTitle = roundTitle
        self.formID = formID
        self.formSHA256 = formSHA256
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.deadline = deadline
        self.roundInputs = roundInputs
        self.authorityName = authorityName
        self.authorityEmail = authorityEmail
        self.subjectTemplate = subjectTemplate
        self.answers = answers
        self.answersVersion = answersVersion
        self.workflow = workflow
    }

    public var state: CaseState { workflow.state }

    /// What the form's rules see besides the answers.
    public var validationContext: ValidationContext {
        ValidationContext(
            periodStart: periodStart,
            periodEnd: periodEnd,
            roundInputs: Dictionary(uniqueKeysWithValues: roundInputs.map { ($0.key, $0.value) }),
            deadline: deadline
        )
    }

    /// Where and by when the form goes, as the form's head shows it.
    public var sendTo: String {
        "\(authorityName), \(authorityEmail), senast \(deadline.swedishLongFormat)"
    }

    /// What the form's texts say of the authority and the round.
    public var formTexts: FormTexts {
        FormTexts(authorityName: authorityName, authorityEmail: authorityEmail, authorityAddress: authorityAddress,
                  deadline: deadline, grantName: grantName.isEmpty ? roundTitle : grantName)
    }

    /// What a signature freezes.
    public var snapshot: CaseSnapshot {
        CaseSnapshot(
            caseID: id.uuid,
            organisationID: organisationID.uuid,
            organisationName: organisationName,
            organisationsnummer: organisationsnummer,
            roundID: roundID.uuid,
            formID: formID,
            formSHA256: formSHA256,
            periodStart: periodStart,
            periodEnd: periodEnd,
            answers: answers
        )
    }
}

