"""The canonical record schema and the stage profiles, read from ``schemas/`` and turned into findings.

Both are JSON Schema 2020-12 documents (DESIGN section 3). Each validator is compiled once per process
and reused: checking a record is on the path of every form save and every API call.

A profile may annotate any subschema with ``x-code`` (the finding code to use instead of the one
derived from the failing keyword), ``x-message`` (the sentence to use, e.g. for an ``anyOf`` a reader
would not understand) and ``x-source`` (the rule or regulation behind the requirement); the nearest
annotation on the failing subschema wins, then the profile document's own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry as ResourceRegistry
from referencing import Resource
from referencing.jsonschema import DRAFT202012

from registries.enums import Severity, Stage
from registries.findings import Finding, RegistryError, pointer
from registries.jsonread import check_value

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
RECORD_SCHEMA_VERSION = "1.2"
RECORD_SOURCE = "schemas/record/v1/record.schema.json"

# Human names for the identifier and date patterns the record schema uses (schemas/README.md), so a
# finding says "the NCT number format" instead of quoting a regular expression at a sponsor.
_PATTERN_NAMES: dict[str, str] = {
    r"^NCT\d{8}$": "the NCT number format: NCT followed by 8 digits",
    r"^ISRCTN\d{8}$": "the ISRCTN format: ISRCTN followed by 8 digits",
    r"^U\d{4}-\d{4}-\d{4}$": "the WHO Universal Trial Number format U9999-9999-9999",
    r"^\d{4}-\d{6}-\d{2}-\d{2}$": "the EU CT number format YYYY-NNNNNN-NN-NN",
    r"^\d{4}-\d{6}-\d{2}$": "the EudraCT number format YYYY-NNNNNN-NN",
    r"^EMEA-\d{6}-PIP\d{2}-\d{2}$": "the PIP number format EMEA-NNNNNN-PIPNN-NN",
    r"^[12]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$": (
        "a partial date (YYYY, YYYY-MM or YYYY-MM-DD) in the years 1000 to 2999"
    ),
    r"^[12]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$": "a date YYYY-MM-DD in the years 1000 to 2999",
    r"^\d+$": "digits only",
}

_KEYWORD_CODES: dict[str, str] = {
    "additionalProperties": "additional_property",
    "unevaluatedProperties": "additional_property",
    "unevaluatedItems": "additional_item",
    "maxLength": "max_length",
    "minLength": "min_length",
    "maxItems": "max_items",
    "minItems": "min_items",
    "uniqueItems": "unique_items",
    "exclusiveMinimum": "minimum",
    "exclusiveMaximum": "maximum",
    "anyOf": "any_of",
    "oneOf": "one_of",
    "allOf": "all_of",
    "dependentRequired": "required",
    "minProperties": "min_properties",
    "maxProperties": "max_properties",
    "multipleOf": "multiple_of",
    "propertyNames": "property_name",
}

_JSON_TYPE_NAMES: dict[str, str] = {
    "object": "an object",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


# --- loading -------------------------------------------------------------------------------------


def record_schema_path(major: int = 1) -> Path:
    return SCHEMAS_DIR / "record" / f"v{major}" / "record.schema.json"


def profile_path(stage: Stage, registry: str | None = None) -> Path:
    """Generic profiles live in ``schemas/profiles/``; a registry's own in ``schemas/profiles/<code>/``."""
    folder = SCHEMAS_DIR / "profiles"
    if registry:
        folder = folder / registry
    return folder / f"{Stage(stage).value}.schema.json"


def _read_schema(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError("schema.missing", f"Schema file {path} does not exist.") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegistryError(
            "schema.malformed_json", f"Schema file {path} is not valid JSON: {exc.msg} at line {exc.lineno}."
        ) from None
    if not isinstance(document, dict):
        raise RegistryError("schema.not_an_object", f"Schema file {path} does not hold a JSON object.")
    return document


@cache
def _documents() -> dict[Path, dict[str, Any]]:
    """Every schema under ``schemas/``, read once; profiles reference each other and the record by $id."""
    return {path: _read_schema(path) for path in sorted(SCHEMAS_DIR.rglob("*.schema.json"))}


def _schema(path: Path) -> dict[str, Any]:
    documents = _documents()
    if path in documents:
        return documents[path]
    raise RegistryError("schema.missing", f"Schema file {path} does not exist.")


@cache
def _resources() -> ResourceRegistry[Any]:
    registry: ResourceRegistry[Any] = ResourceRegistry()
    for path, document in _documents().items():
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        registry = registry.with_resource(path.as_uri(), resource)
        if isinstance(document.get("$id"), str):
            registry = registry.with_resource(document["$id"], resource)
    return registry.crawl()


def _compile(path: Path) -> Draft202012Validator:
    document = _schema(path)
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document, registry=_resources())


@cache
def record_validator(major: int = 1) -> Draft202012Validator:
    """The compiled validator of the record schema (one per process)."""
    return _compile(record_schema_path(major))


@cache
def profile_validator(stage: Stage, registry: str | None = None) -> Draft202012Validator | None:
    """The compiled validator of a stage profile, or None when that registry has no profile of its own."""
    path = profile_path(stage, registry)
    if registry and not path.is_file():
        return None
    return _compile(path)


@cache
def payload_validator(relative_path: str) -> Draft202012Validator:
    """The compiled validator of one of our own payload schemas under ``schemas/`` (e.g.
    ``ctis/v1/ctis-payload.schema.json``, for a registry that publishes none); it may reference the
    record schema by its $id."""
    return _compile(SCHEMAS_DIR / relative_path)


# --- the valid-record fast path ------------------------------------------------------------------
#
# python-jsonschema spends most of a check resolving $ref and building error contexts even when nothing
# is wrong, and a saved record is valid far more often than not. jsonschema-rs (a compiled Draft 2020-12
# validator) answers "valid or not" about ten times faster, so it decides first; only a record it
# refuses is walked by python-jsonschema, whose errors carry the paths and keywords our findings need.


@cache
def _fast_resources() -> jsonschema_rs.Registry:
    pairs: list[tuple[str, Any]] = []
    for path, document in _documents().items():
        pairs.append((path.as_uri(), document))
        if isinstance(document.get("$id"), str):
            pairs.append((document["$id"], document))
    return jsonschema_rs.Registry(pairs)


@cache
def _fast_validator(path: Path) -> jsonschema_rs.Draft202012Validator:
    document = _schema(path)
    own_id = document.get("$id")
    return jsonschema_rs.Draft202012Validator(
        document,
        registry=_fast_resources(),
        base_uri=own_id if isinstance(own_id, str) else path.as_uri(),
        validate_formats=False,  # python-jsonschema does not assert formats either (annotation only)
    )


def schema_errors(validator: Draft202012Validator, path: Path, instance: Any) -> Iterable[ValidationError]:
    """The validator's errors for ``instance``, without walking it when the fast predicate accepts it."""
    if _fast_validator(path).is_valid(instance):
        return ()
    return validator.iter_errors(instance)


def is_valid_record(record: Any, major: int = 1) -> bool:
    """Whether ``record`` matches the record schema (the fast path only: no findings are built)."""
    return bool(_fast_validator(record_schema_path(major)).is_valid(record))


def record_errors(record: Any, major: int = 1) -> Iterable[ValidationError]:
    """Every way ``record`` breaks the record schema (none, quickly, for a valid record)."""
    return schema_errors(record_validator(major), record_schema_path(major), record)


# --- shape and limits ----------------------------------------------------------------------------
#
# The record schema holds two kinds of truth (DESIGN section 3). Its shape (types, required members,
# known fields, identifier and date formats) is what makes a document a record of a study at all: code
# everywhere relies on it, so a document that breaks it is refused. Its limits and vocabularies (today's
# PRS length limits, enum codes, list caps, value formats such as ages) are rules a registry may have
# published a record under before they changed: ClinicalTrials.gov serves records with group
# descriptions of 1,400 characters (PRS allows 999 today) and codes it has since retired. Such a record
# is still the study; each excess is a finding the author fixes before the next filing.

LIMIT_KEYWORDS = frozenset({"maxLength", "minLength", "maxItems", "enum"})
# The codes ``validate_record`` gives their findings.
LIMIT_FINDING_CODES = frozenset({"record.max_length", "record.min_length", "record.max_items", "record.enum"})

# Patterns that are the shape (identifiers, dates, versions and hashes); any other pattern is a value
# format (an age, a threshold, a PubMed id) that a published record may break.
_SHAPE_PATTERNS = frozenset(
    {
        *(p for p in _PATTERN_NAMES if p != r"^\d+$"),
        r"^1\.\d+$",
        r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
        r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$",
        r"^[0-9a-f]{64}$",
    }
)


def is_limit_error(error: ValidationError) -> bool:
    """Whether ``error`` is a limit or vocabulary a published record may break (not its shape)."""
    keyword = str(error.validator)
    if keyword in LIMIT_KEYWORDS:
        return True
    return keyword == "pattern" and str(error.validator_value) not in _SHAPE_PATTERNS


def shape_errors(record: Any, major: int = 1) -> list[ValidationError]:
    """The errors that make ``record`` no record at all (wrong types, missing or unknown members,
    malformed identifiers or dates); limits and vocabularies are left out."""
    return [error for error in record_errors(record, major) if not is_limit_error(error)]


def has_valid_shape(record: Any, major: int = 1) -> bool:
    """Whether ``record`` has the record's shape; it may still break a limit or a vocabulary.

    A value ``check_value`` refuses (a legacy record nested beyond the depth limit) has none: walking
    it with python-jsonschema, whose errors quote the instance, can exhaust the recursion limit.
    """
    if is_valid_record(record, major):
        return True
    try:
        check_value(record)
    except RegistryError:
        return False
    return not shape_errors(record, major)


def limit_findings(
    record: Any, *, severity: Severity, code_prefix: str, registry: str = "record", context: str = ""
) -> list[Finding]:
    """One finding per limit or vocabulary the record breaks, at ``severity`` (a warning on an imported
    version, an error at a stage check)."""
    errors = [error for error in record_errors(record) if is_limit_error(error)]
    findings = findings_from_errors(
        errors, code_prefix=code_prefix, registry=registry, stage=None, source=RECORD_SOURCE, context=context
    )
    return [replace(finding, severity=severity) for finding in findings]


def record_schema(major: int = 1) -> dict[str, Any]:
    """The record schema document as parsed (shared: do not modify)."""
    return _schema(record_schema_path(major))


def resolve(schema: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Follow ``$ref`` until a subschema without one, for code that walks the schema beside a record.

    Local references resolve in ``base`` (the record schema by default); an absolute one by the $id of
    a document under ``schemas/``. Keywords beside a ``$ref`` win over the referenced ones.
    """
    current: Mapping[str, Any] = schema
    root: Any = base if base is not None else record_schema()
    for _ in range(32):
        reference = current.get("$ref")
        if not isinstance(reference, str):
            return dict(current)
        document_uri, _, fragment = reference.partition("#")
        if document_uri:
            root = _resources().resolver().lookup(document_uri).contents
        resolved: Any = root
        for token in fragment.lstrip("/").split("/") if fragment.strip("/") else []:
            token = token.replace("~1", "/").replace("~0", "~")
            resolved = resolved[int(token)] if isinstance(resolved, list) else resolved[token]
        current = {**resolved, **{k: v for k, v in current.items() if k != "$ref"}}
    raise RegistryError("schema.ref_loop", f"A $ref chain in {RECORD_SOURCE} is longer than 32 steps.")


# --- errors -> findings --------------------------------------------------------------------------


def field_name(tokens: Iterable[str | int]) -> str:
    """A pointer as a reader writes it: protocolSection.contactsLocationsModule.locations[0].city."""
    name = ""
    for token in tokens:
        if isinstance(token, int):
            name += f"[{token}]"
        else:
            name += f".{token}" if name else str(token)
    return name or "the record"


def _describe_value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe_pattern(pattern: str) -> str:
    return _PATTERN_NAMES.get(pattern, f"the pattern {pattern}")


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _allowed_list(values: list[Any]) -> str:
    shown = ", ".join(_describe_value(v) for v in values[:15])
    return shown + (f" and {len(values) - 15} more" if len(values) > 15 else "")


def _extra_properties(error: ValidationError) -> list[str]:
    if not isinstance(error.instance, dict):
        return []
    schema = error.schema if isinstance(error.schema, dict) else {}
    declared = set(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [key for key in error.instance if key not in declared and not any(p.search(key) for p in patterns)]


def _missing_properties(error: ValidationError) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    value: Any = error.validator_value
    if error.validator == "dependentRequired" and isinstance(value, dict):
        names = [n for values in value.values() for n in values]
    else:
        names = list(value) if isinstance(value, list) else []
    return [name for name in names if name not in instance and f"{name!r}" in error.message]


def _annotation(error: ValidationError, key: str) -> Any:
    schema = error.schema if isinstance(error.schema, dict) else {}
    return schema.get(key)


def _walk_subschemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk_subschemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_subschemas(value)


@cache
def _document_sources() -> dict[int, str]:
    """id(subschema) -> the ``x-source`` of the document it belongs to.

    A profile pulls in an earlier stage's profile with $ref; a requirement that fails there keeps the
    source of the profile that states it. The referencing registry hands out the very dicts read from
    disk, so identity is a reliable key for the life of the process.
    """
    sources: dict[int, str] = {}
    for document in _documents().values():
        source = document.get("x-source")
        if isinstance(source, str):
            for subschema in _walk_subschemas(document):
                sources[id(subschema)] = source
    return sources


def _source(error: ValidationError, default: str) -> str:
    own = _annotation(error, "x-source")
    if isinstance(own, str):
        return own
    return _document_sources().get(id(error.schema), default)


def _keyword_sentence(error: ValidationError, field: str) -> str:
    keyword = str(error.validator)
    value: Any = error.validator_value
    instance: Any = error.instance
    if keyword == "pattern":
        return f"{field} {_describe_value(instance)} does not match {_describe_pattern(str(value))}."
    if keyword == "enum":
        return (
            f"{field} {_describe_value(instance)} is not an allowed value; allowed: {_allowed_list(value)}."
        )
    if keyword == "const":
        return f"{field} must be {_describe_value(value)}, not {_describe_value(instance)}."
    if keyword == "type":
        wanted = value if isinstance(value, list) else [value]
        names = " or ".join(_JSON_TYPE_NAMES.get(str(t), str(t)) for t in wanted)
        return f"{field} must be {names}, not {_JSON_TYPE_NAMES[_json_type(instance)]}."
    if keyword == "maxLength":
        return f"{field} is {len(instance)} characters long; at most {value} are allowed."
    if keyword == "minLength":
        if value == 1:
            return f"{field} must not be empty."
        return f"{field} is {len(instance)} characters long; at least {value} are needed."
    if keyword == "minItems":
        return f"{field} has {len(instance)} entries; at least {value} needed."
    if keyword == "maxItems":
        return f"{field} has {len(instance)} entries; at most {value} allowed."
    if keyword == "uniqueItems":
        return f"{field} lists the same entry more than once."
    if keyword in ("minimum", "exclusiveMinimum"):
        relation = "at least" if keyword == "minimum" else "more than"
        return f"{field} is {_describe_value(instance)}; it must be {relation} {value}."
    if keyword in ("maximum", "exclusiveMaximum"):
        relation = "at most" if keyword == "maximum" else "less than"
        return f"{field} is {_describe_value(instance)}; it must be {relation} {value}."
    if keyword == "format":
        return f"{field} {_describe_value(instance)} is not a valid {value}."
    if keyword == "minProperties":
        return f"{field} must not be empty."
    if keyword == "false":
        return f"{field} is not allowed here."
    if keyword in ("anyOf", "oneOf") and error.context:
        inner = best_match(error.context)
        return _keyword_sentence(inner, field_name(inner.absolute_path))
    return f"{field}: {error.message}."


def _findings_for_error(
    error: ValidationError,
    *,
    code_prefix: str,
    registry: str,
    stage: Stage | None,
    source: str,
    context: str,
) -> Iterator[Finding]:
    tokens = list(error.absolute_path)
    keyword = str(error.validator)
    code = _annotation(error, "x-code") or f"{code_prefix}.{_KEYWORD_CODES.get(keyword, keyword)}"
    source = _source(error, source)
    custom = _annotation(error, "x-message")

    def finding(at: list[str | int], message: str) -> Finding:
        return Finding(
            severity=Severity.ERROR,
            code=code,
            pointer=pointer(*at),
            message=message,
            registry=registry,
            stage=stage,
            source=source,
        )

    if keyword in ("required", "dependentRequired"):
        for name in _missing_properties(error):
            at = [*tokens, name]
            yield finding(at, custom or f"{field_name(at)} is required{context}.")
        return
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        extras = _extra_properties(error)
        for name in extras:
            at = [*tokens, name]
            yield finding(at, custom or f"{field_name(at)} is not a field of the record{context}.")
        if extras:
            return
    if custom:
        yield finding(tokens, custom)
        return
    sentence = _keyword_sentence(error, field_name(tokens))
    if context and sentence.endswith("."):
        sentence = sentence[:-1] + context + "."
    yield finding(tokens, sentence)


def findings_from_errors(
    errors: Iterable[ValidationError],
    *,
    code_prefix: str,
    registry: str,
    stage: Stage | None,
    source: str,
    context: str = "",
) -> list[Finding]:
    """One finding per problem (one per missing or unknown property), ordered by pointer then code."""
    findings: list[Finding] = []
    for error in errors:
        findings.extend(
            _findings_for_error(
                error, code_prefix=code_prefix, registry=registry, stage=stage, source=source, context=context
            )
        )
    unique = {(f.pointer, f.code, f.message): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.pointer, f.code, f.message))


def validate_record(record: Any, stage: Stage | None = None, *, registry: str = "record") -> list[Finding]:
    """The record against the record schema: every problem, not only the first."""
    return findings_from_errors(
        record_errors(record),
        code_prefix="record",
        registry=registry,
        stage=stage,
        source=RECORD_SOURCE,
    )


def validate_profile(record: Any, stage: Stage, registry: str | None = None) -> list[Finding]:
    """The record against the stage profile (generic, or the registry's own when it has one)."""
    stage = Stage(stage)
    validator = profile_validator(stage, registry)
    if validator is None:
        return []
    document = validator.schema if isinstance(validator.schema, dict) else {}
    source = str(document.get("x-source", ""))
    label = stage.value.replace("_", " ")
    return findings_from_errors(
        schema_errors(validator, profile_path(stage, registry), record),
        code_prefix="profile",
        registry=registry or "record",
        stage=stage,
        source=source,
        context=f" at the {label} stage",
    )
