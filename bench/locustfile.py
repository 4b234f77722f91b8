"""Residents answering one consultation, for `locust` (headless) against nginx.

Each simulated resident has their own address (sent as X-Simulated-Client, which the test
nginx in deploy/localstack.py takes as the client address), opens the form, fills every
question, and sends it. Like a person pressing "Send" again, it re-sends the SAME form (same
submission key) after a server error, a timeout or a dropped connection, up to 8 times. When it
sees its reference number, it writes one JSON line to LOAD_RESULTS and stops.

Each resident answers once: when all LOAD_USERS have finished (acknowledged or given up), the
run ends by itself.

Settings (environment): LOAD_CONSULTATION (id), LOAD_RESULTS (file path), LOAD_USERS.
"""
import json
import os
import re
import threading
import time
from html.parser import HTMLParser
from itertools import count

from locust import HttpUser, constant
from locust.exception import StopUser

CONSULTATION = os.environ.get("LOAD_CONSULTATION", "1")
RESULTS = os.environ.get("LOAD_RESULTS", "load-results.jsonl")
USERS = int(os.environ.get("LOAD_USERS", "0"))
_ids = count(1)
_write = threading.Lock()
_finished = [0]


class _Form(HTMLParser):
    """The form's fields with a valid answer for each: first option, some text."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                self.data[name] = a.get("value", "")
            elif kind in ("radio", "checkbox") and name not in self.data and not name.startswith("about_"):
                if name != "keep_informed":
                    self.data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self.data[name] = "More benches near the play area, and lights on the path please."


def _reference(html):
    found = re.search(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b", html)
    return found.group(1) if found else None


class Resident(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        n = next(_ids)
        if USERS and n > USERS:  # locust replaces a stopped user; each resident answers only once
            while True:
                time.sleep(60)
        self.address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        self.client.headers["X-Simulated-Client"] = self.address

    def _record(self, **row):
        with _write:
            with open(RESULTS, "a") as out:
                out.write(json.dumps({"client": self.address, **row}) + "\n")
            _finished[0] += 1
            everyone = USERS and _finished[0] >= USERS
        if everyone:
            self.environment.runner.quit()
        raise StopUser()

    def tasks_respond(self):
        url = f"/consultations/{CONSULTATION}/respond"
        page = self.client.get(url, name="respond form")
        if page.status_code != 200:
            self._record(outcome="no form", status=page.status_code)
        form = _Form()
        form.feed(page.text)
        statuses = []
        for attempt in range(8):
            with self.client.post(url, data=form.data, name="send response", allow_redirects=False,
                                  catch_response=True) as reply:
                statuses.append(reply.status_code)
                if reply.status_code == 302 and reply.headers.get("Location", "").endswith("/confirmation"):
                    reply.success()
                    done = self.client.get(reply.headers["Location"], name="confirmation")
                    self._record(outcome="acknowledged", reference=_reference(done.text),
                                 key=form.data.get("submission_key"), statuses=statuses)
                if reply.status_code in (0, 500, 502, 503, 504):
                    reply.failure(f"status {reply.status_code}")
                    time.sleep(1 + attempt)  # a person waits, then presses "Send" again
                    continue
                reply.failure(f"unexpected status {reply.status_code}")
                break
        self._record(outcome="gave up", key=form.data.get("submission_key"), statuses=statuses)

    tasks = [tasks_respond]
