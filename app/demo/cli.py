"""`flask demo`: load the fictional borough of Northbrook. Safe to run again: nothing is duplicated."""
import importlib

import click

from app.common.transaction import commit

DEMO_PASSWORD = "northbrook-demo-2026"  # printed by `make run`; demo data only
# Each domain may provide app/<domain>/demo.py with load(data_dir) -> list of lines to print.
DOMAINS = ["consultations", "themes", "actions", "panel", "surgeries"]


def register(app):
    @app.cli.command("demo")
    def demo():
        """Load the demo borough (wards, staff, consultations, plan, panel, surgeries)."""
        if app.config["ENV_NAME"] == "production":
            raise click.UsageError("The demo data is not for production databases.")
        from app.demo import loader

        lines = loader.load_base()
        commit()
        for name in DOMAINS:
            try:
                module = importlib.import_module(f"app.{name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"app.{name}.demo":
                    raise
                continue
            lines += module.load(loader.DATA_DIR) or []
            commit()
        click.echo("Demo borough loaded.")
        for line in lines:
            click.echo(line)
