"""The embedded PostgreSQL + PostGIS cluster that gridcmd runs when no server is configured."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from geo.errors import ClusterError
from geo.settings import DatabaseSettings

INSTALL_HINT = (
    "install PostgreSQL with PostGIS, e.g. `sudo apt-get install postgresql-15-postgis-3` "
    "(or run `make run`, which installs it), or set GRIDCMD_PG_BIN to the folder holding initdb"
)
SERVER_USER = "postgres"


@dataclass(frozen=True)
class ClusterStatus:
    """What `gridcmd db status` reports."""

    running: bool
    pid: int | None
    port: int
    data_dir: Path
    initialised: bool


def find_pg_bin(settings: DatabaseSettings) -> Path:
    """Folder with the PostgreSQL server binaries (initdb, pg_ctl, postgres)."""
    if settings.pg_bin:
        if (settings.pg_bin / "initdb").exists():
            return settings.pg_bin
        raise ClusterError(f"GRIDCMD_PG_BIN={settings.pg_bin} has no initdb; {INSTALL_HINT}")
    root = Path("/usr/lib/postgresql")
    candidates = sorted(
        (p for p in root.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    if not candidates:
        raise ClusterError(f"PostgreSQL server binaries not found under {root}; {INSTALL_HINT}")
    return candidates[0]


def _check_postgis(pg_bin: Path) -> None:
    share = subprocess.run(
        [str(pg_bin / "pg_config"), "--sharedir"], capture_output=True, text=True, check=False
    ).stdout.strip() or f"/usr/share/postgresql/{pg_bin.parent.name}"
    if not (Path(share) / "extension" / "postgis.control").exists():
        raise ClusterError(
            f"PostgreSQL {pg_bin.parent.name} is installed but PostGIS is not; "
            f"install it, e.g. `sudo apt-get install postgresql-{pg_bin.parent.name}-postgis-3`"
        )


class EmbeddedCluster:
    """A private cluster in a data folder gridcmd owns, on its own port and socket."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self.settings = settings
        self.home = settings.home
        self.data_dir = settings.home / "pgdata"
        self.socket_dir = settings.home / "run"
        self.log_file = settings.home / "postgres.log"
        self.port = settings.pg_port

    # -- running commands as the right user ------------------------------------------------
    def _as_server_user(self, argv: list[str]) -> list[str]:
        # initdb and postgres refuse to run as root: hand them to the postgres system user.
        if os.geteuid() != 0:
            return argv
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError as exc:
            raise ClusterError(
                f"running as root needs the `{SERVER_USER}` system user to own the server; "
                f"{INSTALL_HINT}"
            ) from exc
        return ["runuser", "-u", SERVER_USER, "--", *argv]

    def _run(self, argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            self._as_server_user(argv), capture_output=True, text=True, check=False, cwd="/"
        )
        if check and proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            raise ClusterError(f"`{Path(argv[0]).name}` failed: " + " | ".join(detail))
        return proc

    def _prepare_folders(self) -> None:
        for folder in (self.home, self.socket_dir):
            folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            for folder in (self.home, self.socket_dir):
                os.chown(folder, user.pw_uid, user.pw_gid)
        os.chmod(self.home, 0o755)

    # -- lifecycle -------------------------------------------------------------------------
    def initialised(self) -> bool:
        """True when the data folder holds a cluster."""
        return (self.data_dir / "PG_VERSION").exists()

    def status(self) -> ClusterStatus:
        """Ask pg_ctl whether the server is running (never trusts the pid file alone)."""
        if not self.initialised():
            return ClusterStatus(False, None, self.port, self.data_dir, False)
        return self.pg_ctl_status(self.data_dir, self.port)

    def pg_ctl_status(self, data_dir: Path, port: int) -> ClusterStatus:
        """pg_ctl's view of the initialised cluster in `data_dir` (this one or its replica)."""
        pg_bin = find_pg_bin(self.settings)
        proc = self._run([str(pg_bin / "pg_ctl"), "status", "-D", str(data_dir)], check=False)
        pid = None
        if proc.returncode == 0 and "PID:" in proc.stdout:
            pid = int(proc.stdout.split("PID:")[1].split(")")[0].strip())
        # A postmaster killed a moment ago is a zombie until it is reaped: pg_ctl still sees
        # its pid, but nothing listens.
        running = proc.returncode == 0 and _process_state(pid) not in (None, "Z")
        return ClusterStatus(running, pid if running else None, port, data_dir, True)

    def init(self) -> None:
        """Create the cluster's data folder with initdb (once)."""
        pg_bin = find_pg_bin(self.settings)
        _check_postgis(pg_bin)
        self._prepare_folders()
        if self.initialised():
            return
        self._run([
            str(pg_bin / "initdb"), "-D", str(self.data_dir), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions",
        ])

    def _clear_stale_pid(self) -> None:
        # After a crash (kill -9, power loss) postmaster.pid stays behind; pg_ctl status has
        # just said no server runs, so the file and the socket lock are safe to remove.
        for stale in (
            self.data_dir / "postmaster.pid",
            self.socket_dir / f".s.PGSQL.{self.port}.lock",
        ):
            if stale.exists():
                stale.unlink()

    def _wait_for_crashed_server(self, timeout_s: float = 20) -> None:
        # Right after a crash (kill -9) the old postmaster lingers as a zombie and its
        # backends stay attached to the shared memory for a moment; a new server started then
        # refuses ("shared memory block is still in use") or is mistaken for the old one.
        # Wait until both are gone, as PostgreSQL itself would check.
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
        except (FileNotFoundError, PermissionError):
            return
        pid = int(lines[0]) if lines and lines[0].strip().isdigit() else None
        shm = lines[6].split() if len(lines) > 6 else []
        shmid = int(shm[1]) if len(shm) == 2 and shm[1].isdigit() else None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not _old_postmaster(pid) and _shm_attached(shmid) == 0:
                return
            time.sleep(0.2)

    def start(self) -> ClusterStatus:
        """Initialise if needed and start the server; harmless when it already runs."""
        self.init()
        current = self.status()
        if current.running:
            return current
        self._wait_for_crashed_server()
        self._clear_stale_pid()
        pg_bin = find_pg_bin(self.settings)
        # synchronous_commit stays at PostgreSQL's default (on): a commit the app has
        # acknowledged (an audit row, an import, a ticket action, a published plan) is on disk
        # and survives a crash. Bulk loads that can simply be rerun (the demo town) opt out with
        # `SET LOCAL synchronous_commit = off` inside their own transaction.
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c synchronous_commit=on -c fsync=on -c max_connections=100 -c shared_buffers=256MB "
            "-c work_mem=32MB -c maintenance_work_mem=256MB -c jit=off"
            # A streaming replica can be cloned from it (`gridcmd db replica start`): WAL for
            # replication, senders for the clone and the replica, and some WAL kept so a
            # replica stopped for a while can catch up (initdb's pg_hba already trusts
            # replication connections from 127.0.0.1 and the socket).
            " -c wal_level=replica -c max_wal_senders=10 -c wal_keep_size=128MB"
        )
        proc = self._run(
            [str(pg_bin / "pg_ctl"), "start", "-D", str(self.data_dir), "-l",
             str(self.log_file), "-w", "-t", "60", "-o", options],
            check=False,
        )
        if proc.returncode != 0:
            tail = ""
            if self.log_file.exists():
                tail = " | ".join(self.log_file.read_text(errors="replace").splitlines()[-5:])
            raise ClusterError(
                f"the embedded PostgreSQL did not start on port {self.port} "
                f"(log: {self.log_file}): {tail or proc.stderr.strip()}"
            )
        return self.status()

    def stop(self) -> ClusterStatus:
        """Stop the server if it runs."""
        if self.status().running:
            pg_bin = find_pg_bin(self.settings)
            self._run([str(pg_bin / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast",
                       "-w", "-t", "60"])
        return self.status()

    def destroy(self) -> None:
        """Stop and delete the cluster's folder (tests and `db reset` only)."""
        self.stop()
        if self.home.exists():
            shutil.rmtree(self.home)


class ReplicaCluster:
    """A streaming read replica of the embedded cluster: <home>/replica on its own port and
    socket, cloned with `pg_basebackup -R` (standby.signal + primary_conninfo)."""

    def __init__(self, settings: DatabaseSettings, port: int) -> None:
        self.settings = settings
        self.primary = EmbeddedCluster(settings)
        self.data_dir = settings.home / "replica"
        self.socket_dir = settings.home / "replica-run"
        self.log_file = settings.home / "replica.log"
        self.port = port

    def url(self, dbname: str | None = None) -> str:
        """libpq URL of the replica (for GRIDCMD_REPLICA_URL)."""
        name = dbname or self.settings.database_name
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def initialised(self) -> bool:
        """True when the data folder holds a cloned standby."""
        return (self.data_dir / "PG_VERSION").exists() and (
            self.data_dir / "standby.signal").exists()

    def status(self) -> ClusterStatus:
        """pg_ctl's view of the replica."""
        if not self.initialised():
            return ClusterStatus(False, None, self.port, self.data_dir, False)
        return self.primary.pg_ctl_status(self.data_dir, self.port)

    def clone(self) -> None:
        """pg_basebackup -R from the running primary into the data folder (once). A failed
        clone leaves no folder behind."""
        if self.initialised():
            return
        if not self.primary.status().running:
            raise ClusterError("the embedded cluster is not running; start it first "
                               "(`gridcmd db start`)")
        if self.data_dir.exists():
            shutil.rmtree(self.data_dir)  # a half-made clone from an interrupted run
        self.primary._prepare_folders()
        pg_bin = find_pg_bin(self.settings)
        try:
            self.primary._run([
                str(pg_bin / "pg_basebackup"), "-D", str(self.data_dir), "-R", "-X", "stream",
                "-c", "fast", "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
                "--no-password",
            ])
        except ClusterError:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            raise

    def start(self) -> ClusterStatus:
        """Clone if needed and start the replica; harmless when it already runs."""
        if self.port == self.primary.port:
            raise ClusterError(f"the replica needs a port of its own; {self.port} is the "
                               "primary's (GRIDCMD_PG_PORT)")
        if not 1024 <= self.port <= 65535:
            raise ClusterError(f"port {self.port} is not a usable port (1024..65535)")
        self.clone()
        current = self.status()
        if current.running:
            return current
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(self.socket_dir, user.pw_uid, user.pw_gid)
        for stale in (self.data_dir / "postmaster.pid",
                      self.socket_dir / f".s.PGSQL.{self.port}.lock"):
            if stale.exists():
                stale.unlink()
        pg_bin = find_pg_bin(self.settings)
        # hot_standby_feedback: the primary keeps rows a replica query still reads, so long
        # reads are not cancelled by a conflict with recovery.
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c hot_standby=on -c hot_standby_feedback=on -c max_connections=100 "
            "-c shared_buffers=128MB -c work_mem=32MB -c jit=off"
        )
        proc = self.primary._run(
            [str(pg_bin / "pg_ctl"), "start", "-D", str(self.data_dir), "-l",
             str(self.log_file), "-w", "-t", "60", "-o", options], check=False)
        if proc.returncode != 0:
            tail = ""
            if self.log_file.exists():
                tail = " | ".join(self.log_file.read_text(errors="replace").splitlines()[-5:])
            raise ClusterError(f"the read replica did not start on port {self.port} "
                               f"(log: {self.log_file}): {tail or proc.stderr.strip()}")
        return self.status()

    def stop(self) -> ClusterStatus:
        """Stop the replica if it runs (its data folder stays: the next start catches up)."""
        if self.status().running:
            pg_bin = find_pg_bin(self.settings)
            self.primary._run([str(pg_bin / "pg_ctl"), "stop", "-D", str(self.data_dir),
                               "-m", "fast", "-w", "-t", "60"])
        return self.status()

    def destroy(self) -> None:
        """Stop the replica and delete its data folder (`db replica start --fresh`)."""
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _process_state(pid: int | None) -> str | None:
    """The state letter of process `pid` (R, S, Z …), or None when there is no such process."""
    if pid is None:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def _old_postmaster(pid: int | None) -> bool:
    """Whether `pid` is still the old server (a zombie, or a postgres process; a reused pid
    belonging to something else is not)."""
    state = _process_state(pid)
    if state is None:
        return False
    if state == "Z":
        return True
    try:
        return "postgres" in Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return False


def _shm_attached(shmid: int | None) -> int:
    """How many processes are attached to System V segment `shmid` (0 when it is gone)."""
    if shmid is None:
        return 0
    try:
        rows = Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
    except OSError:
        return 0
    for row in rows:
        fields = row.split()  # key shmid perms size cpid lpid nattch …
        if len(fields) > 6 and fields[1] == str(shmid):
            return int(fields[6])
    return 0
