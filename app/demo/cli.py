"""`flask demo`: load the fictional borough of Northbrook. Safe to run again: nothing is duplicated."""
import importlib

import click

from app.common.transaction import commit

DEMO_PASSWORD = "northbrook-demo-2026"  # printed by `make run`; demo data only
# The demo admins' and officers' authenticator key (base32), published like the password.
DEMO_TOTP_SECRET = "NORTHBROOKDEMOKEYTWOZEROTWOSIXAA"
# Each domain may provide app/<domain>/demo.py with load(data_dir) -> list of lines to print,
# and optionally finish(data_dir), run after every domain has loaded (e.g. publishing a
# "You said, we did" page once the themes exist). Order matters: actions before themes, so the
# theme engine can suggest links to the demo plan.
DOMAINS = ["consultations", "actions", "themes", "panel", "surgeries", "wards", "tracker"]


def register(app):
    @app.cli.command("demo-code")
    def demo_code():
        """Print the current second-factor code of the demo staff accounts (development only)."""
        if app.config["ENV_NAME"] == "production":
            raise click.UsageError("There are no demo accounts in production.")
        import pyotp

        click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())

    @app.cli.command("demo")
    def demo():
        """Load the demo borough (wards, staff, consultations, plan, panel, surgeries)."""
        if app.config["ENV_NAME"] == "production":
            raise click.UsageError("The demo data is not for production databases.")
        from app.demo import loader

        lines = loader.load_base()
        commit()
        modules = []
        for name in DOMAINS:
            try:
                modules.append(importlib.import_module(f"app.{name}.demo"))
            except ModuleNotFoundError as exc:
                if exc.name != f"app.{name}.demo":
                    raise
        for module in modules:
            lines += module.load(loader.DATA_DIR) or []
            commit()
        for module in modules:
            if hasattr(module, "finish"):
                lines += module.finish(loader.DATA_DIR) or []
                commit()
        click.echo("Demo borough loaded.")
        for line in lines:
            click.echo(line)
