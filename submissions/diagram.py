"""The state diagrams of docs/state-machines.md, generated from the transitions in ``workflow.py``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models

from submissions.models import Filing, Trial
from submissions.workflow import ActorCondition, Condition, transitions_of

DOC_PATH = Path("docs") / "state-machines.md"


def _mermaid(model: type[models.Model]) -> list[str]:
    lines = ["```mermaid", "stateDiagram-v2"]
    field = model._meta.get_field("state")
    lines.append(f"    [*] --> {getattr(field, 'default', '')}")
    for item in transitions_of(model):
        lines.append(f"    {item.source} --> {item.target}: {item.custom.get('label', item.name)}")
    lines.append("```")
    return lines


def _conditions_table(model: type[models.Model]) -> list[str]:
    lines = [
        "| Transition | From | To | Roles | Conditions (code: what is wrong when it fails) |",
        "|---|---|---|---|---|",
    ]
    for item in transitions_of(model):
        roles = ", ".join(item.custom.get("roles", ())) or "system"
        checks: list[Condition | ActorCondition] = [
            *item.custom.get("actor_conditions", ()),
            *item.conditions,  # type: ignore[list-item]
        ]
        described = "<br>".join(f"`{check.code}`: {check.sentence}" for check in checks) or "—"
        lines.append(f"| `{item.name}` | {item.source} | {item.target} | {roles} | {described} |")
    return lines


def state_machines_markdown() -> str:
    """The whole document, deterministic so a test can compare it with the committed file."""
    lines = [
        "# State machines",
        "",
        "Generated from `submissions/workflow.py` by `python manage.py state_diagram`; do not edit by hand",
        "(a test fails when this file and the code disagree). DESIGN section 4 explains the rules.",
        "",
    ]
    for title, model in (("Trial", Trial), ("Filing", Filing)):
        lines += [f"## {title}", "", *_mermaid(model), "", *_conditions_table(model), ""]
    return "\n".join(lines)


def doc_path() -> Path:
    return Path(settings.BASE_DIR) / DOC_PATH
