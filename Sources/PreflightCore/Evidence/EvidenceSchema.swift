/// The JSON Schema of one evidence record (docs/format.md, "Evidence
/// records"), published with every site at `schema/evidence.json` so that
/// CI tools can check what they write before Preflight reads it.
enum EvidenceSchema {
    static let path = "schema/evidence.json"

    static let json = #"""
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://preflight.dev/schema/evidence.json",
      "title": "Preflight evidence record",
      "description": "One line of a .jsonl evidence file: a machine's answer to an `auto` check of a service. The newest record per service and check counts.",
      "type": "object",
      "required": ["service", "check", "result", "at", "source"],
      "additionalProperties": false,
      "properties": {
        "service": {
          "description": "The service's slug (its folder in content/services/).",
          "type": "string",
          "pattern": "^[a-z0-9][a-z0-9-]*$"
        },
        "check": {
          "description": "The id of an `auto` check of the checklist the service is judged against.",
          "type": "string",
          "pattern": "^[a-z0-9][a-z0-9-]*$"
        },
        "result": {
          "description": "Whether the check passed.",
          "enum": ["pass", "fail"]
        },
        "at": {
          "description": "When the result was produced: an RFC 3339 date and time with its offset.",
          "type": "string",
          "format": "date-time",
          "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
        },
        "source": {
          "description": "Where to see the result: a URL (http(s) URLs become links) or any text.",
          "type": "string",
          "minLength": 1,
          "pattern": "\\S"
        },
        "note": {
          "description": "One line for people.",
          "type": "string"
        }
      }
    }
    """# + "\n"
}
