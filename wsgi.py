"""WSGI entry point: `waitress-serve --call wsgi:create` or `flask --app wsgi run`."""
from app import create_app

app = create_app()


def create():
    return app
