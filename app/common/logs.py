"""Logs an operations team can search: one request id per request, JSON lines in production.

Every log line written while a request is handled carries its `request_id`, and the response
returns it as `X-Request-ID`, so a resident's "something went wrong" page, the access log of the
proxy and the app's own lines can be matched. An id the proxy already set (nginx's
`$request_id`) is kept if it is well formed, so one id follows the request through every layer.
"""
import logging
import re
import sys
import time
import uuid

from flask import g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str | None:
    return getattr(g, "request_id", None) if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (or "-") to every record, so formatters can always name it."""

    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True


def _formatter(fmt: str) -> logging.Formatter:
    if fmt == "json":
        from pythonjsonlogger.json import JsonFormatter

        formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                                  rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})
    else:
        formatter = logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    # Times in UTC whatever the server's time zone, as in the audit log (ASVS 7.3.4).
    formatter.converter = time.gmtime
    return formatter


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (as logging's last-resort handler does), so
    a test harness or a server that swaps stderr still gets the lines."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def configure_logging(fmt: str, level: str = "INFO") -> None:
    """Set the root logger's one handler (stderr, which gunicorn and systemd collect)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_council_handler", False)), None)
    if handler is None:
        handler = _StderrHandler()
        handler._council_handler = True
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    handler.setFormatter(_formatter(fmt))
    root.setLevel(level.upper())


def register(app):
    configure_logging(app.config.get("LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def _assign_request_id():
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _WELL_FORMED.match(given) else uuid.uuid4().hex

    @app.after_request
    def _return_request_id(response):
        if current_request_id():
            response.headers[REQUEST_ID_HEADER] = g.request_id
        return response
