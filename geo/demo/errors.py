"""Errors of the demo loader, worded for the person at the keyboard."""

from geo.errors import GridcmdError


class DemoError(GridcmdError):
    """The demo town cannot be generated (bad scale, seed or anchor)."""


class DemoLoadError(DemoError):
    """The demo town could not be written to the database; nothing was written."""
