"""Errors that speak to the user: what went wrong and what to do about it."""


class GridcmdError(Exception):
    """An error whose message is meant for the person at the keyboard."""


class ClusterError(GridcmdError):
    """The embedded PostgreSQL cluster cannot be set up, started or stopped."""


class DatabaseUnreachable(GridcmdError):
    """The configured database server did not answer."""


class MigrationError(GridcmdError):
    """A schema migration could not be applied (nothing of it was kept)."""


class ConfigError(GridcmdError):
    """A setting that cannot be used (named in the message)."""
