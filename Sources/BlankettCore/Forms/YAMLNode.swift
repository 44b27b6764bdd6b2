import Yams

/// The raw YAML of a form file: Sendable, with every node's location, so
/// that the definition builder can point at the exact line and column.
public indirect enum YAMLNode: Sendable {
    case scalar(String, ScalarStyle, SourceLocation)
    case mapping([(key: String, keyLocation: SourceLocation, value: YAMLNode)], SourceLocation)
    case sequence([YAMLNode], SourceLocation)

    public enum ScalarStyle: Sendable {
        /// Unquoted; `~`, `null` or empty means null.
        case plain
        /// Quoted on one line: expression offsets map to columns after the quote.
        case quoted
        /// Literal `|` or folded `>`: spans lines.
        case block
    }

    public var location: SourceLocation {
        switch self {
        case .scalar(_, _, let location), .mapping(_, let location), .sequence(_, let location): location
        }
    }

    /// Parses YAML text; a syntax error becomes one diagnostic at its position.
    public static func parse(_ text: String, file: String) -> Result<YAMLNode, FormDiagnostic> {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                return .failure(FormDiagnostic(SourceLocation(file: file, line: 1, column: 1), "empty-file", "the file holds no YAML document"))
            }
            return .success(try convert(root, file: file))
        } catch let error as YamlError {
            return .failure(YAMLSyntaxError.diagnostic(for: error, in: text, file: file))
        } catch let error as FormDiagnostic {
            return .failure(error)
        } catch {
            return .failure(FormDiagnostic(SourceLocation(file: file, line: 1, column: 1), "yaml-syntax", "\(error)"))
        }
    }

    private static func convert(_ node: Node, file: String) throws -> YAMLNode {
        func location(_ mark: Mark?) -> SourceLocation {
            SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        }
        switch node {
        case .scalar(let scalar):
            let style: ScalarStyle
            switch scalar.style {
            case .singleQuoted, .doubleQuoted: style = .quoted
            case .literal, .folded: style = .block
            default: style = .plain
            }
            return .scalar(scalar.string, style, location(scalar.mark))
        case .mapping(let mapping):
            var pairs: [(key: String, keyLocation: SourceLocation, value: YAMLNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw FormDiagnostic(location(key.mark), "yaml-structure", "mapping keys must be plain words")
                }
                if pairs.contains(where: { $0.key == keyScalar.string }) {
                    throw FormDiagnostic(location(key.mark), "duplicate-key", "key '\(keyScalar.string)' appears twice in this mapping")
                }
                pairs.append((keyScalar.string, location(keyScalar.mark), try convert(value, file: file)))
            }
            return .mapping(pairs, location(mapping.mark))
        case .sequence(let sequence):
            return .sequence(try sequence.map { try convert($0, file: file) }, location(sequence.mark))
        case .alias(let alias):
            throw FormDiagnostic(location(alias.mark), "yaml-structure", "YAML aliases are not supported in form files")
        }
    }
}
