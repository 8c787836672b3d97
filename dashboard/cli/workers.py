"""Several server processes: gunicorn with threaded (gthread) workers sharing one socket.

Why gunicorn: waitress (the one-process default) has no multi-process mode, and forking
waitress by hand would mean writing the socket sharing, worker supervision, restarts and
graceful shutdown ourselves. gunicorn is the maintained pre-fork WSGI server: the master
binds the socket once, forks N workers, restarts one that dies or hangs (`timeout`), and
stops them gracefully on SIGTERM. gthread workers give each process a thread pool like
waitress's, sized to its connection pool.

Every worker builds its own app after the fork (own connection pool, own headless browser):
nothing is shared through memory. What must be shared lives outside the processes: users,
tokens, lockouts and audit in PostgreSQL; sessions and render credentials are cookies and
tokens signed with the one key in GRIDCMD_SECRET_KEY or <home>/secret_key (made by the
master before the fork). Per process, and documented as such: the wall's last good copy of
its base layers (each process keeps its own), the sign-in rate limit per address (moved to
PostgreSQL by the sign-in work).
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from dashboard.settings import Settings


class WorkerServer(BaseApplication):
    """gunicorn, configured in code (no config file), loading one gridcmd app per worker."""

    def __init__(self, settings: Settings, database_url: str, host: str, port: int,
                 workers: int) -> None:
        self._settings = settings
        self._url = database_url
        self._options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": max(4, settings.pool_max),  # one thread per pooled connection
            "timeout": 120,  # a worker silent this long is replaced (a snapshot can take 20 s)
            "graceful_timeout": 20,
            "keepalive": 5,
            "preload_app": False,  # the app (and its pool) is made in each worker, after fork
            "proc_name": "gridcmd",
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        from dashboard.app import create_app

        return create_app(self._settings, database_url=self._url).server


def serve_workers(settings: Settings, database_url: str, host: str, port: int,
                  workers: int) -> None:
    """Run `workers` gunicorn processes on host:port until stopped (SIGINT/SIGTERM)."""
    from dashboard.auth.secret import secret_key

    secret_key(settings)  # made once here, so every worker signs with the same key
    WorkerServer(settings, database_url, host, port, workers).run()
