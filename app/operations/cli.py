"""`flask backup` (nightly, from deploy/systemd) and `flask restore FILE` (see docs/deploy.md)."""
import logging
import os

import click
from flask import current_app

from app.extensions import db
from app.operations import backup as backups

log = logging.getLogger(__name__)


def _folder(folder):
    return folder or os.environ.get("BACKUP_DIR") or os.path.join(current_app.instance_path, "backups")


def register(app):
    @app.cli.command("backup")
    @click.option("--to", "folder", help="Folder for the backup (default: BACKUP_DIR or instance/backups).")
    @click.option("--keep", type=click.IntRange(min=0), default=14, show_default=True,
                  help="Keep this many newest backups in the folder and delete older ones (0 keeps all).")
    def backup_command(folder, keep):
        """Back up the database to a file."""
        try:
            path = backups.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], _folder(folder))
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        removed = backups.prune(path.parent, keep) if keep else []
        log.info("backup written to %s (%d bytes); %d older backup(s) removed",
                 path, path.stat().st_size, len(removed))
        click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
        if removed:
            click.echo(f"Removed {len(removed)} older backup(s).")

    @app.cli.command("restore")
    @click.argument("backup_file", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Confirm: the database's current contents are replaced.")
    def restore_command(backup_file, yes):
        """Replace the database's contents with a backup. Stop the web servers and workers first."""
        if not yes:
            raise click.ClickException("This replaces everything in the database. Run again with --yes.")
        db.session.remove()
        db.engine.dispose()  # no pooled connection may hold locks on tables being replaced
        try:
            backups.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], backup_file)
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        log.info("database restored from %s", backup_file)
        click.echo(f"Restored the database from {backup_file}. Run `flask db upgrade` if it is older "
                   "than this version of the app.")
