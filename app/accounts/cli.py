import click
from flask.cli import AppGroup

from app.common.transaction import commit


def register(app):
    group = AppGroup("accounts", help="Accounts and sign-in.")

    @group.command("purge")
    def purge():
        """Delete ended or expired sessions and stale sign-in counts (run daily from cron)."""
        from app.accounts.services import purge_sign_in_data

        removed = purge_sign_in_data()
        commit()
        click.echo(f"Removed {removed['sessions']} session(s) and {removed['sign_in_counts']} sign-in count(s).")

    @group.command("reset-second-factor")
    @click.argument("email")
    def reset_second_factor(email):
        """Reset someone's second factor from the server (e.g. the only admin lost their phone and
        recovery codes). Logged like an admin's reset; they set it up again at next sign-in."""
        from app.accounts import second_factor
        from app.accounts.services import find_by_email

        user = find_by_email(email)
        if user is None or not user.is_staff:
            raise click.UsageError("There is no staff account with that email address.")
        second_factor.reset(user, None)
        commit()
        click.echo(f"Second factor reset for {user.email}; every session they had has ended.")

    @group.command("rotate-second-factor-key")
    def rotate_second_factor_key():
        """Re-encrypt every stored TOTP secret under the first key in SECOND_FACTOR_KEY (put the new
        key first, keep the old one after it until this has run)."""
        from app.accounts import secret_box
        from app.accounts.models import User

        users = User.query.filter(User.totp_secret_token.isnot(None)).all()
        for user in users:
            try:
                user.totp_secret_token = secret_box.rotate(user.totp_secret_token)
            except secret_box.SecretUnreadable:
                raise click.ClickException(f"The secret of user {user.id} does not decrypt with any configured key; "
                                           f"nothing was changed.")
        commit()
        click.echo(f"Re-encrypted {len(users)} authenticator-app secret(s) under the newest key.")

    app.cli.add_command(group)

    @app.cli.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.password_option()
    def create_admin(email, name, password):
        """Create the first administrator account."""
        from app.accounts.models import User
        from app.accounts.services import find_by_email, normalise_email

        if len(password) < app.config["PASSWORD_MIN_LENGTH"]:
            raise click.UsageError(f"Password must be {app.config['PASSWORD_MIN_LENGTH']} characters or more.")
        if len(password) > 128:
            raise click.UsageError("Password must be 128 characters or fewer.")
        from app.accounts.passwords import weakness

        problem = weakness(password, (email, name))
        if problem:
            raise click.UsageError(problem + ".")
        if find_by_email(email):
            raise click.UsageError("There is already an account with that email address.")
        from app.extensions import db

        user = User(email=normalise_email(email), name=name, role="admin")
        user.set_password(password)
        db.session.add(user)
        commit()
        click.echo(f"Created administrator {user.email}.")
