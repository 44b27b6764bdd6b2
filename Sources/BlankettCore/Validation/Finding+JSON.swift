extension Finding {
    /// `{"path","severity","code","message"}`: the shape `blankett forms
    /// validate` prints and the API returns (the API adds `step`).
    public var json: JSONObject {
        ["path": .string(path), "severity": .string(severity.rawValue), "code": .string(code), "message": .string(message)]
    }
}
