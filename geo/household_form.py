"""一户一表 counts from a form (the phone's visit): the import's own field rules, one household.

The same checks as `gridcmd import households` (geo/importing): each count through the
households kind's field parser (whole numbers, not below 0; renters yes/no), then the table's
rule registered + floating = members, with the same wording of problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from geo.importing.fields import KINDS
from geo.importing.values import parse

COUNT_FIELDS = ("members", "registered", "floating", "renters", "elderly", "children",
                "vulnerable")
_SPECS = {spec.name: spec for spec in KINDS["households"].fields if spec.name in COUNT_FIELDS}


@dataclass(frozen=True)
class FormProblem:
    """One field of the form that cannot be taken, and what to do."""

    field: str
    reason: str
    fix: str

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"field": self.field, "reason": self.reason, "fix": self.fix}


def _cell(value: Any) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, int | float) else str(value)


def check_counts(form: dict[str, Any]) -> tuple[dict[str, Any], list[FormProblem]]:
    """The form's counts typed (int / bool) and the problems found; every field is required."""
    problems: list[FormProblem] = []
    clean: dict[str, Any] = {}

    def report(_index: int, field: str, reason: str, fix: str) -> None:
        problems.append(FormProblem(field, reason, fix))

    for name in COUNT_FIELDS:
        raw = form.get(name)
        if raw is None or raw == "":
            problems.append(FormProblem(name, "empty", f"fill in {name}"))
            continue
        if name != "renters" and isinstance(raw, bool):
            problems.append(FormProblem(name, f"not a whole number: {raw!r}",
                                        "write digits only, e.g. 12"))
            continue
        cell = np.array([_cell(raw)], dtype=object)
        value = parse(cell, _SPECS[name], report)[0]
        if value is not None:
            clean[name] = value == "true" if name == "renters" else int(value)
    if {"members", "registered", "floating"} <= clean.keys():
        members, reg, flo = clean["members"], clean["registered"], clean["floating"]
        if members != reg + flo:
            problems.append(FormProblem(
                "members", f"members {members} ≠ registered {reg} + floating {flo}",
                "correct one of the three counts"))
    return clean, problems
