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
DOMAINS = ["consultations", "maps", "actions", "places", "conversations", "themes", "panel", "surgeries",
           "wards", "tracker", "deliberation", "tenants"]


def register(app):
    @app.cli.command("demo-code")
    def demo_code():
        """Print the current second-factor code of the demo staff accounts (development only)."""
        if app.config["ENV_NAME"] == "production":
            raise click.UsageError("There are no demo accounts in production.")
        import pyotp

        click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())

    @app.cli.command("demo")
    @click.option("--scale", is_flag=True, help="Then grow it to a council's size (for bench/speed.py).")
    @click.option("--consultations", default=50, show_default=True, help="With --scale: consultations in all.")
    @click.option("--responses", default=100_000, show_default=True, help="With --scale: responses in all.")
    @click.option("--plans", default=10, show_default=True, help="With --scale: action plans in all.")
    def demo(scale, consultations, responses, plans):
        """Load the demo borough (wards, staff, consultations, plan, panel, surgeries)."""
        if app.config["ENV_NAME"] == "production":
            raise click.UsageError("The demo data is not for production databases.")
        if scale:
            _refuse_if_scaled()
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
        if scale:
            _scale(consultations, responses, plans)


def _refuse_if_scaled():
    from app.demo import scale

    try:  # checked before the ordinary demo too, so a refused run changes nothing at all
        scale.ensure_not_scaled()
    except scale.AlreadyScaled as exc:
        raise click.ClickException(str(exc))


def _scale(consultations, responses, plans):
    import time

    from app.demo import loader, scale

    started = time.monotonic()
    try:
        lines = scale.scale(loader.DATA_DIR, consultations=consultations, responses=responses, plans=plans)
    except scale.AlreadyScaled as exc:
        raise click.ClickException(str(exc))
    commit()
    click.echo(f"Scaled demo in {time.monotonic() - started:.0f} s:")
    for line in lines:
        click.echo("  " + line)
