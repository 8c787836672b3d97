"""SQL is source: named .sql files shipped inside the package, read through importlib."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read_sql(relative: str) -> str:
    """Text of geo/sql/<relative>, e.g. read_sql('queries/layer_grids.sql')."""
    return resources.files("geo").joinpath("sql", relative).read_text(encoding="utf-8")


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every numbered migration, in order."""
    folder = resources.files("geo").joinpath("sql", "migrations")
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        number, _, _ = name.partition("_")
        if not number.isdigit():
            raise ValueError(f"migration file {name} must start with its number, e.g. 004_x.sql")
        found.append((int(number), name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise ValueError("two migration files share a number")
    return found
