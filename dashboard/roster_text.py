"""The mobilisation roster's words and the printable call list's address, shared by the
operations page (dashboard/ops/) and the zone box (dashboard/zones/) so that neither feature
package imports the other."""

from __future__ import annotations

from dashboard.i18n import t

CALLLIST_PATH = "/print/calllist"  # the printable call list (served by dashboard/ops/calllist)


def role_label(role: str, lang: str) -> str:
    """Display name of a roster role (teams are resources of kind 'team')."""
    return t("value.kind.team" if role == "team" else f"role.{role}", lang)
