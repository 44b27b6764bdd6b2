import Mustache

// The step page's views answer Mustache's lookups by name themselves:
// without this Mustache reads every value through `Mirror`, which was most
// of a step page's CPU (issue 15), and cannot see a computed property at
// all (`hasError` marked no field invalid). `ViewLookupTests` holds each
// list to the type's stored properties.

extension MessageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "anchor": return anchor
        case "message": return message
        default: return nil
        }
    }
}

extension OptionView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "optionID": return optionID
        case "name": return self.name
        case "value": return value
        case "label": return label
        case "checked": return checked
        case "inputType": return inputType
        default: return nil
        }
    }
}

extension GridCellView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "anchor": return anchor
        case "name": return self.name
        case "value": return value
        case "ariaLabel": return ariaLabel
        case "inputMode": return inputMode
        case "readOnly": return readOnly
        case "hasError": return hasError
        default: return nil
        }
    }
}

extension GridRowView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": return label
        case "cells": return cells
        default: return nil
        }
    }
}

extension MatrixRowView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "anchor": return anchor
        case "label": return label
        case "options": return options
        default: return nil
        }
    }
}

extension ListPartView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "anchor": return anchor
        case "name": return self.name
        case "label": return label
        case "value": return value
        default: return nil
        }
    }
}

extension ListItemView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "number": return number
        case "simple": return simple
        case "parts": return parts
        default: return nil
        }
    }
}

extension FieldView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "anchor": return anchor
        case "name": return self.name
        case "label": return label
        case "help": return help
        case "ordinance": return ordinance
        case "unit": return unit
        case "placeholder": return placeholder
        case "required": return required
        case "isInfo": return isInfo
        case "isGroup": return isGroup
        case "isReadOnly": return isReadOnly
        case "isInput": return isInput
        case "isOptions": return isOptions
        case "isGrid": return isGrid
        case "isMatrix": return isMatrix
        case "isList": return isList
        case "isLong": return isLong
        case "text": return text
        case "display": return display
        case "inputType": return inputType
        case "inputMode": return inputMode
        case "value": return value
        case "describedBy": return describedBy
        case "errors": return errors
        case "warnings": return warnings
        case "hasError": return hasError
        case "hasWarning": return hasWarning
        case "options": return options
        case "children": return children
        case "columns": return columns
        case "rows": return rows
        case "matrixRows": return matrixRows
        case "items": return items
        default: return nil
        }
    }
}
