"""SQL is source: named .sql files shipped inside the package, read through importlib."""

from __future__ import annotations

from functools import cache
from importlib import resources

from psycopg import sql


@cache
def read_sql(relative: str) -> str:
    """Text of geo/sql/<relative>, e.g. read_sql('queries/layer_grids.sql')."""
    return resources.files("geo").joinpath("sql", relative).read_text(encoding="utf-8")


@cache
def read_composed(relative: str, **parts: str) -> sql.Composed:
    """geo/sql/<relative> with each {name} replaced by the text of the query file
    queries/<name>.sql named in `parts` (trusted files only; values travel as parameters)."""
    return sql.SQL(read_sql(relative)).format(**{
        name: sql.SQL(read_sql(f"queries/{query}.sql").strip().rstrip(";"))
        for name, query in parts.items()})


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
