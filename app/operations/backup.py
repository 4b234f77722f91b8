"""Backups of the database, and restoring one: `flask backup` and `flask restore`.

PostgreSQL uses pg_dump's custom format (compressed; pg_restore can restore all or part of it);
SQLite uses SQLite's own online backup, which is safe while the app is serving. Both write one
file per run named by the UTC time, so a nightly timer plus `--keep` gives a rolling set.
"""
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

PREFIX = "have-your-say-"


class BackupError(Exception):
    """A backup or restore could not be done (the message says why, for the operator)."""


def _libpq_url(url: str) -> str:
    """postgresql+psycopg://... -> postgresql://..., which pg_dump and pg_restore understand."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url: str) -> str:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up.")
    return path


def _run(args: list[str]) -> None:
    tool = args[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[:500]}")


def backup(database_url: str, folder: str | os.PathLike, now: datetime | None = None) -> Path:
    """Write a backup of the database into `folder`; returns the file's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    backend = make_url(database_url).get_backend_name()
    if backend == "postgresql":
        target = folder / f"{PREFIX}{stamp}.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={target}", _libpq_url(database_url)])
    elif backend == "sqlite":
        target = folder / f"{PREFIX}{stamp}.sqlite3"
        with sqlite3.connect(_sqlite_path(database_url)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
    else:
        raise BackupError(f"Backups of {backend} databases are not supported.")
    os.chmod(target, 0o600)  # residents' personal data: readable by the service account only
    return target


def prune(folder: str | os.PathLike, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `folder`; returns what was deleted."""
    files = sorted(p for p in Path(folder).glob(f"{PREFIX}*") if p.suffix in (".dump", ".sqlite3"))
    doomed = files[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


def restore(database_url: str, backup_file: str | os.PathLike) -> None:
    """Replace the database's contents with the backup's. Stop the app servers first."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise BackupError(f"There is no backup file at {backup_file}.")
    backend = make_url(database_url).get_backend_name()
    if backend == "postgresql" and backup_file.suffix == ".dump":
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", f"--dbname={_libpq_url(database_url)}", str(backup_file)])
    elif backend == "sqlite" and backup_file.suffix == ".sqlite3":
        with sqlite3.connect(backup_file) as source, sqlite3.connect(_sqlite_path(database_url)) as target:
            source.backup(target)
        target.close()
    else:
        raise BackupError(f"{backup_file.name} is not a backup of a {backend} database.")
