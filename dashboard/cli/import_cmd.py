"""`gridcmd import KIND FILE`: validate a user's file and upsert it, or say what to fix."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from dashboard.settings import get_settings
from geo.importing.fields import KINDS

if TYPE_CHECKING:  # the pipeline pulls in pandas and geopandas: loaded only when importing
    from geo.importing.pipeline import ImportResult
    from geo.importing.problems import Problem

_SHOWN = 200  # the table stops here; --report holds every problem

# The pipeline's stages in order: the bar advances one step as each begins.
STAGES = ("reading", "validating", "writing", "refreshing")


def _stage_done(what: str) -> int:
    """How many stages are finished when the stage `what` begins."""
    return next((i for i, stage in enumerate(STAGES) if what.startswith(stage)), 0)


def _problem_table(problems: list[Problem]) -> Table:
    table = Table(title=f"{len(problems)} problem(s) / 问题", show_lines=False)
    for name in ("file", "row", "field", "reason", "suggested fix"):
        table.add_column(name, overflow="fold", justify="right" if name == "row" else "left")
    for problem in problems[:_SHOWN]:
        table.add_row(*problem.as_list())
    if len(problems) > _SHOWN:
        table.add_row("…", "", "", f"{len(problems) - _SHOWN} more", "see --report FILE.csv")
    return table


def _summary(result: ImportResult, dry_run: bool) -> Table:
    table = Table()
    table.add_column("would be" if dry_run else "rows")
    table.add_column("count", justify="right")
    table.add_row("inserted / 新增", f"{result.counts.inserted:,}")
    table.add_row("updated / 更新", f"{result.counts.updated:,}")
    table.add_row("unchanged / 未变", f"{result.counts.unchanged:,}")
    if result.rejected:
        table.add_row("rejected / 拒收", f"{result.rejected:,}")
    return table


def _fixed_values(pairs: tuple[str, ...]) -> dict[str, str]:
    """{field: value} from --set FIELD=VALUE options; a malformed one is a usage error."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise click.BadParameter(f"{pair!r} is not FIELD=VALUE", param_hint="--set")
        values[name.strip()] = value.strip()
    return values


@click.command("import")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", default=None, metavar="wgs84|cgcs2000|gcj02|bd09|EPSG:n",
              help="Coordinate system of the file (default: the file's own, else wgs84). "
                   "Gaode/Tencent: gcj02; Baidu: bd09.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML of `file header: field` for headers gridcmd does not recognise.")
@click.option("--dry-run", is_flag=True, help="Validate and count; write nothing.")
@click.option("--skip-invalid", is_flag=True,
              help="Write the good rows; put the bad ones in FILE.rejects.csv beside the input.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the validation report to this CSV file.")
@click.option("--set", "fixed", multiple=True, metavar="FIELD=VALUE",
              help="Give FIELD this value where the file has no such column or an empty "
                   "cell (repeatable), e.g. --set source=patrol. Without it, incidents "
                   "default to source=hotline (a 12345 export has no 来源 column).")
def import_(kind: str, file: Path, crs: str | None, mapping: Path | None, dry_run: bool,
            skip_invalid: bool, report: Path | None, fixed: tuple[str, ...]) -> None:
    """Import a GeoJSON, GeoPackage, zipped Shapefile, CSV or XLSX file of KIND."""
    from dashboard.cli.users_cmd import operator
    from geo.bootstrap import ensure_database
    from geo.importing.pipeline import run_import
    from geo.importing.problems import write_report

    settings = get_settings()
    console = Console()
    values = _fixed_values(fixed)
    started = time.perf_counter()
    url = ensure_database(settings)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TaskProgressColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task(f"{kind} ← {file.name}", total=len(STAGES))
        result = run_import(
            url, kind, file, crs=crs, mapping=mapping, dry_run=dry_run,
            skip_invalid=skip_invalid, town_code=settings.town_code, audit_by=operator(),
            fixed=values,
            step=lambda what: progress.update(task, completed=_stage_done(what),
                                              description=f"{kind} ← {file.name}: {what}"))
    elapsed = time.perf_counter() - started
    if result.ignored:
        console.print(f"ignored column(s) / 未识别的列: {', '.join(result.ignored)} "
                      "(map them with --mapping if they matter)")
    for note in result.filled:
        console.print(f"filled / 默认值: {note}")
    for warning in result.warnings:
        console.print(f"[yellow]warning / 注意: {warning}[/yellow]")
    if result.problems:
        shown = result.problems
        if settings.lang == "zh":  # reasons and fixes as the town office reads them
            from geo.importing.problems_zh import in_chinese

            shown = [in_chinese(p) for p in shown]
        console.print(_problem_table(shown))
        if report:
            write_report(shown, report)
            console.print(f"report written to {report}")
    refused = bool(result.problems) and result.rejected == 0
    if refused or (result.problems and not result.written and not dry_run):
        what = "a real import would write nothing" if dry_run else "nothing was written"
        console.print(f"[red]{what} / 未写入任何数据[/red]: fix the rows above and import "
                      "again, or pass --skip-invalid to write the good rows")
        sys.exit(1)
    console.print(f"{result.kind} ← {file.name}: {result.rows:,} row(s), crs {result.crs}, "
                  f"{elapsed:.1f} s" + (" — dry run, nothing written" if dry_run else ""))
    console.print(_summary(result, dry_run))
    if result.rejects_path and not dry_run:
        console.print(f"{result.rejected:,} rejected row(s) written to {result.rejects_path}")
