extension FormDefinition {
    /// The contact person's address in `answers`, from the field the form
    /// names in `contact_email`; nil when the form names none, or the answer
    /// is missing or no valid address.
    public func contactEmail(in answers: JSONValue) -> EmailAddress? {
        guard let path = contactEmailPath, let text = answers.value(atPath: path)?.stringValue else { return nil }
        return try? EmailAddress.parse(text).get()
    }
}
