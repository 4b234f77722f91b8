"""One interface for sending email; the backend is chosen by MAIL_BACKEND.

- outbox: writes each message as an .eml file in instance/outbox (development default)
- smtp:   sends through MAIL_SERVER:MAIL_PORT (with STARTTLS and login when configured)
- memory: keeps messages in a list on the app, for tests that don't run an SMTP server
"""
import os
import re
import smtplib
from email import policy as email_policy
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from app.common.masking import mask_email


class _UrlListHeader(UnstructuredHeader):
    """RFC 2369 List-Unsubscribe: an angle-bracketed URL that must reach mail clients as written.

    Python's default folding turns a long unbroken value into RFC 2047 encoded-words, which mail
    clients don't read as a URL; the RFC forbids splitting it (998 characters is the limit).
    """

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


_LINK = re.compile(r"https?://[^\s<>\"')]+")

_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _UrlListHeader)
POLICY = email_policy.default.clone(header_factory=_HEADERS)


def build_message(record) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = record.to
    message["Subject"] = record.subject
    message["Message-ID"] = make_msgid(domain="council.local")
    for name, value in (record.headers or {}).items():
        message[name] = value
    message.set_content(record.body_text)
    for attachment in record.attachments or []:
        maintype, _, subtype = attachment["content_type"].partition("/")
        params = {}
        if attachment["content_type"].startswith("text/calendar"):
            subtype = "calendar"
            method = attachment.get("method")
            if method:
                params["method"] = method
        message.add_attachment(attachment["content"].encode(), maintype=maintype, subtype=subtype,
                               filename=attachment["filename"], params=params)
    return message


def deliver(message: EmailMessage):
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        config = current_app.config
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    elif backend == "memory":
        current_app.extensions.setdefault("sent_emails", []).append(message)
    else:
        folder = os.path.join(current_app.instance_path, "outbox")
        os.makedirs(folder, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        with open(os.path.join(folder, f"{name}.eml"), "wb") as handle:
            handle.write(bytes(message))
        current_app.logger.info("email to %s: %s (saved in %s)", mask_email(message["To"]), message["Subject"], folder)
        # The .eml is quoted-printable, which splits long links across lines: print them whole, so
        # a developer can follow a confirmation or sign-in link from the console. Development
        # only: this backend never runs in production (MAIL_BACKEND=smtp there).
        if current_app.config["ENV_NAME"] != "production":
            for link in _LINK.findall(message.get_body(("plain",)).get_content()):
                current_app.logger.info("  link in that email: %s", link)
