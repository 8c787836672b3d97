"""`gridcmd template KIND --out FILE.xlsx`: the Excel form a town office fills in for import."""

from __future__ import annotations

from pathlib import Path

import click

from geo.importing.fields import KINDS


@click.command("template")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .xlsx file to write.")
def template(kind: str, out: Path) -> None:
    """Write the Excel form of KIND: Chinese headers, a notes row, drop-down lists."""
    from geo.importing.template import write_template

    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter("write the form as .xlsx, e.g. --out 楼栋.xlsx",
                                 param_hint="--out")
    write_template(kind, out)
    click.echo(f"{kind} form written to {out} / 模板已生成: fill in from row 3, then "
               f"`gridcmd import {kind} {out.name}`")
