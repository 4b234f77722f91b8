"""WSGI entry point: `waitress-serve --ident= --call wsgi:create` or `flask --app wsgi run`.

With the development SECRET_KEY (published in this repository, so anyone could forge an admin
session with it) the app refuses to listen anywhere but loopback.
"""
import os
import sys

from app import create_app
from config import DEV_SECRET_KEY

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def listening_hosts(argv, env) -> list[str]:
    """The addresses this process was told to listen on: HOST (set by `make serve`) and any
    --host/--listen given to waitress-serve or `flask run`."""
    hosts = [env["HOST"]] if env.get("HOST") else []
    for i, arg in enumerate(argv):
        for flag in ("--host", "--listen", "-h"):
            if arg == flag and i + 1 < len(argv):
                value = argv[i + 1]
            elif arg.startswith(flag + "=") and flag != "-h":
                value = arg.split("=", 1)[1]
            else:
                continue
            if flag == "--listen":  # host:port, [::1]:port or *:port
                value = value.rsplit(":", 1)[0] if ":" in value else value
            hosts.append(value)
    return hosts


def refuse_public_development_key(config, hosts):
    if config.get("SECRET_KEY") != DEV_SECRET_KEY:
        return
    exposed = [host for host in hosts if host.strip("[]") not in LOOPBACK]
    if exposed:
        raise SystemExit(
            f"Refusing to listen on {', '.join(exposed)} with the development SECRET_KEY: it is published, "
            "so anyone who can reach this server could forge an admin session. Listen on 127.0.0.1 "
            "(HOST=127.0.0.1), or set SECRET_KEY to a long random value (and APP_ENV=production, "
            "BASE_URL for a real install).")


app = create_app()
refuse_public_development_key(app.config, listening_hosts(sys.argv, {}))


def create():
    refuse_public_development_key(app.config, listening_hosts(sys.argv, os.environ))
    return app
