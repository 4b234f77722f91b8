"""A local stand-in for GOV.UK Notify's HTTP API, for tests (nothing leaves the machine).

It serves POST /v2/notifications/email, /sms and /letter on a random port, checks the JWT the
official client signs with the API key's secret (as Notify does: HS256, `iss` = the service id,
`iat` within 30 seconds), checks each request's required fields, records what it accepted, and
answers with Notify-shaped JSON. `fail_next(429, 500...)` makes the next requests fail as
Notify would, with its error bodies. The `notify` fixture points the app at it.
"""
import threading
import uuid

import pytest
from flask import Flask, jsonify, request
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError
from werkzeug.serving import make_server

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"council_test-{SERVICE_ID}-{SECRET}"  # Notify's key format: name-serviceid-secret
KINDS = ("default", "staff_invite", "account_confirm_email", "account_exists", "password_reset",
         "password_changed", "second_factor_changed", "response_confirmation", "action_update",
         "panel_confirm", "panel_already_member", "panel_manage_link", "panel_invitation", "panel_mailout",
         "surgery_booking_confirmation", "surgery_booking_moved", "surgery_booking_cancelled", "surgery_changed",
         "surgery_cancelled", "surgery_reminder")

ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
}


def template_for(channel: str, kind: str) -> str:
    """The template id the tests configure for a kind: stable, so a test can name it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"notify-test:{channel}:{kind}"))


def _error(status, kind, message):
    return jsonify({"status_code": status, "errors": [{"error": kind, "message": message}]}), status


class NotifyStub:
    def __init__(self):
        self.received = []  # (channel, request JSON), in order
        self.failures = []  # status codes to answer the next requests with
        self.lock = threading.Lock()
        self.app = self._build()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def fail_next(self, *codes):
        with self.lock:
            self.failures.extend(codes)

    def reset(self):
        with self.lock:
            self.received.clear()
            self.failures.clear()

    def of(self, channel):
        return [body for kind, body in self.received if kind == channel]

    def _build(self):
        app = Flask("notify_stub")

        @app.post("/v2/notifications/<channel>")
        def notification(channel):
            if channel not in ("email", "sms", "letter"):
                return _error(404, "NotFound", "Not found")
            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                return _error(401, "AuthError", "Unauthorized: authentication token must be provided")
            token = header[len("Bearer "):]
            try:
                if get_token_issuer(token) != SERVICE_ID:
                    return _error(403, "AuthError", "Invalid token: service not found")
                decode_jwt_token(token, SECRET)
            except TokenError as exc:
                return _error(403, "AuthError", exc.message)
            with self.lock:
                failure = self.failures.pop(0) if self.failures else None
            if failure:
                return _error(failure, *ERRORS[failure])
            body = request.get_json(silent=True) or {}
            problem = self._check(channel, body)
            if problem:
                return _error(400, "ValidationError", problem)
            with self.lock:
                self.received.append((channel, body))
            return jsonify(self._reply(channel, body)), 201

        return app

    @staticmethod
    def _check(channel, body):
        if not body.get("template_id"):
            return "template_id is a required property"
        if channel == "email" and "@" not in str(body.get("email_address", "")):
            return "email_address Not a valid email address"
        if channel == "sms" and not str(body.get("phone_number", "")).startswith("+447"):
            return "phone_number Not a UK mobile number"
        if channel == "letter":
            fields = body.get("personalisation") or {}
            lines = [fields.get(f"address_line_{n}") for n in range(1, 8) if fields.get(f"address_line_{n}")]
            if len(lines) < 3:
                return "Address must be at least 3 lines"
        return None

    def _reply(self, channel, body):
        fields = body.get("personalisation") or {}
        notification_id = str(uuid.uuid4())
        content = {"body": fields.get("body", "")}
        if channel == "email":
            content.update(subject=fields.get("subject", ""), from_email="council@notifications.service.gov.uk",
                           one_click_unsubscribe_url=body.get("one_click_unsubscribe_url"))
        elif channel == "sms":
            content.update(from_number="COUNCIL")
        else:
            content.update(subject=fields.get("subject", ""))
        reply = {"id": notification_id, "reference": body.get("reference"), "content": content,
                 "uri": f"{self.base_url}/v2/notifications/{notification_id}",
                 "template": {"id": body["template_id"], "version": 1,
                              "uri": f"{self.base_url}/services/{SERVICE_ID}/templates/{body['template_id']}"}}
        if channel == "letter":
            reply["scheduled_for"] = None
        return reply


@pytest.fixture(scope="session")
def notify_server():
    stub = NotifyStub()
    stub.thread.start()
    yield stub
    stub.server.shutdown()


@pytest.fixture()
def notify(app, db, notify_server):
    """The app sends email (MAIL_BACKEND=notify), texts and letters to the local Notify stub."""
    templates = {f"{channel}:{kind}": template_for(channel, kind)
                 for channel in ("email", "sms", "letter") for kind in KINDS}
    keys = ("MAIL_BACKEND", "NOTIFY_API_KEY", "NOTIFY_BASE_URL", "NOTIFY_TEMPLATES")
    old = {key: app.config.get(key) for key in keys}
    app.config.update(MAIL_BACKEND="notify", NOTIFY_API_KEY=API_KEY, NOTIFY_BASE_URL=notify_server.base_url,
                      NOTIFY_TEMPLATES=templates)
    notify_server.reset()
    try:
        yield notify_server
    finally:
        app.config.update(old)
        notify_server.reset()
