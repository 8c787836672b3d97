"""Parsing cell text into typed values ready for COPY, reporting the cells that do not parse."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from geo.importing.fields import VALUE_SYNONYMS, Field
from geo.importing.geometry import Report

TIME_ZONE = "Asia/Shanghai"  # a ledger's times without an offset are Beijing time
_TRUE = {"true", "t", "yes", "y", "1", "是", "有", "√", "对"}
_FALSE = {"false", "f", "no", "n", "0", "否", "无", "×", "错"}
_LIST_SEP = re.compile(r"[,，;；、|]")


def _text(values: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    out = np.where(values == "", None, values)
    if not spec.choices:
        return out
    synonyms = VALUE_SYNONYMS.get(spec.name, {})
    # A column holds few distinct values: check those, then spread the answers (fast on 100k).
    codes, uniques = pd.factorize(out, use_na_sentinel=True)
    answers = np.empty(len(uniques), dtype=object)
    for j, value in enumerate(uniques):
        answer = synonyms.get(value, value).lower()
        answers[j] = answer if answer in spec.choices else None
    result = np.where(codes >= 0, answers[np.maximum(codes, 0)] if len(uniques) else None, None)
    for i in np.flatnonzero((codes >= 0) & (result == None)):  # noqa: E711
        report(i, spec.name, f"unknown value {out[i]!r}", f"use one of {', '.join(spec.choices)}")
    return result


def _int(values: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    numbers = pd.to_numeric(pd.Series(values).replace("", np.nan), errors="coerce").to_numpy()
    return _whole_numbers(values, numbers, values != "", spec, report, str)


def _bool(values: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    out = np.full(len(values), None, dtype=object)
    for i in np.flatnonzero(values != ""):
        word = values[i].lower()
        if word in _TRUE:
            out[i] = "true"
        elif word in _FALSE:
            out[i] = "false"
        else:
            report(i, spec.name, f"not yes/no: {values[i]!r}", "write 是/否 or true/false")
    return out


def _one_time(text: str) -> pd.Timestamp:
    stamp = pd.to_datetime(text, errors="coerce")
    if pd.isna(stamp):
        return pd.NaT
    return stamp.tz_convert(TIME_ZONE) if stamp.tzinfo else stamp.tz_localize(TIME_ZONE)


def _parse_times(text: pd.Series) -> pd.Series:
    """Timestamps in Beijing time; NaT where the text is no date."""
    try:
        # ISO 8601 (what GeoPackages and most exports hold) parses ~5x faster than "mixed".
        parsed = pd.to_datetime(text, errors="raise", format="ISO8601")
    except (ValueError, TypeError):
        parsed = None
    try:
        if parsed is None:
            parsed = pd.to_datetime(text, errors="coerce", format="mixed")
    except (ValueError, TypeError):  # offsets differ between rows: parse row by row
        return pd.Series([_one_time(t) for t in text], index=text.index,
                         dtype=f"datetime64[ns, {TIME_ZONE}]")
    if getattr(parsed.dt, "tz", None) is None:
        return parsed.dt.tz_localize(TIME_ZONE)
    return parsed.dt.tz_convert(TIME_ZONE)


def _timestamp(values: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    given = values != ""
    out = np.full(len(values), None, dtype=object)
    if not given.any():
        return out
    parsed = _parse_times(pd.Series(values[given]))
    # UTC text via numpy: pandas' strftime is ~100x slower on large files.
    stamps = parsed.dt.tz_convert("UTC").to_numpy(dtype="datetime64[s]")
    text = np.datetime_as_string(stamps, unit="s").astype(object) + "+00"  # object: fast
    bad = parsed.isna().to_numpy()
    idx = np.flatnonzero(given)
    for i in idx[bad]:
        report(i, spec.name, f"not a date/time: {values[i]!r}",
               "write it as 2024-05-01 08:30 (Beijing time) or ISO 8601")
    out[idx[~bad]] = text[~bad]
    return out


def _json(values: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    out = np.full(len(values), None, dtype=object)
    for i in np.flatnonzero(values != ""):
        try:
            data = json.loads(values[i])
        except json.JSONDecodeError:
            data = None
        if not isinstance(data, dict):
            report(i, spec.name, f"not a JSON object: {values[i][:40]!r}",
                   'write it as {"masks": 20000, "tents": 30}')
            continue
        out[i] = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return out


def _text_array(values: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    out = np.full(len(values), None, dtype=object)
    for i in np.flatnonzero(values != ""):
        items = [s.strip() for s in _LIST_SEP.split(values[i]) if s.strip()]
        quoted = ('"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"' for s in items)
        out[i] = "{" + ",".join(quoted) + "}"
    return out


def _int_numbers(values: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    """An integer or real column of a GeoPackage/Shapefile: checked without text."""
    numbers = values.astype(float)
    return _whole_numbers(values, numbers, ~np.isnan(numbers), spec, report, "{:g}".format)


def _whole_numbers(values: np.ndarray, numbers: np.ndarray, given: np.ndarray, spec: Field,
                   report: Report, shown) -> np.ndarray:
    """The `given` cells of an integer field as digits for COPY, from `numbers` (the cells
    as floats, NaN where they are no number); a fraction, a non-number or a number below the
    field's minimum is reported (`shown` writes the cell in the message) and left empty."""
    with np.errstate(invalid="ignore"):  # NaN and ±inf are no whole numbers
        bad = given & (numbers % 1 != 0)
    for i in np.flatnonzero(bad):
        report(i, spec.name, f"not a whole number: {values[i]!r}", "write digits only, e.g. 12")
    low = given & ~bad & (numbers < (spec.minimum if spec.minimum is not None else -np.inf))
    for i in np.flatnonzero(low):
        report(i, spec.name, f"{shown(values[i])} is below {spec.minimum}",
               f"use a number ≥ {spec.minimum}")
    out = np.full(len(values), None, dtype=object)
    keep = given & ~bad & ~low
    out[keep] = numbers[keep].astype(np.int64).astype(str)
    return out


def is_number_column(values: np.ndarray) -> bool:
    """Whether a column came as numbers (or booleans) rather than text."""
    return values.dtype.kind in "biuf"


def is_empty(values: np.ndarray) -> np.ndarray:
    """True where a cell is empty ('' in text columns, NaN in number columns)."""
    if is_number_column(values):
        return np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), bool)
    return values == ""


def as_text(values: np.ndarray) -> np.ndarray:
    """A number column as cell text (whole reals without '.0'; NaN as '')."""
    if not is_number_column(values):
        return values
    if values.dtype.kind == "b":
        return np.where(values, "true", "false").astype(object)
    if values.dtype.kind == "f":
        whole = ~np.isnan(values) & (values % 1 == 0)
        text = values.astype(str).astype(object)
        text[whole] = values[whole].astype(np.int64).astype(str)
        text[np.isnan(values)] = ""
        return text
    return values.astype(str).astype(object)


PARSERS = {"text": _text, "int": _int, "bool": _bool, "timestamp": _timestamp,
           "json": _json, "text[]": _text_array}


def parse(values: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    """The column's cells as COPY text (None = NULL); bad cells are reported and left None."""
    if spec.type == "int" and is_number_column(values):
        return _int_numbers(values, spec, report)
    return PARSERS[spec.type](_within_limit(as_text(values), spec, report), spec, report)


def _within_limit(text: np.ndarray, spec: Field, report: Report) -> np.ndarray:
    """Cells longer than the field's limit reported (without echoing them) and left empty."""
    try:  # the common case, every cell short: one C-level pass (~0.1 s per million cells)
        if max(map(len, text), default=0) <= spec.limit:
            return text
    except TypeError:  # a cell that is not text (None): the careful pass below
        pass
    lengths = np.fromiter((len(v) if isinstance(v, str) else 0 for v in text),
                          dtype=np.int64, count=len(text))
    long = np.flatnonzero(lengths > spec.limit)
    if not len(long):
        return text
    text = text.copy()
    for i in long:
        report(i, spec.name, f"longer than {spec.limit} characters ({lengths[i]})",
               f"shorten it to at most {spec.limit} characters")
        text[i] = ""
    return text
