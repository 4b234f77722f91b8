"""Requests/s of our public pages as a share of a bare Flask "Hello, World!", in one run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/council .venv/bin/flask --app wsgi demo --scale
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/council .venv/bin/python bench/speed.py

Starts bench/hello.py and our app (wsgi:app), each under gunicorn with deploy/gunicorn.conf.py
(the same worker count and class for both), then runs wrk (2 threads, 32 connections) for
SPEED_SECONDS (default 10) against each page and against a response POST that carries a valid
CSRF token and a fresh one-time submission key (bench/speed_post.lua). Bare Flask is measured
just before each page and each share is against that figure: on a shared machine the load
moves within a run. Prints a table and stops both servers.

Our app runs with APP_ENV=production (JSON logs, Secure cookies), REDIS_URL from SPEED_REDIS_URL
(default redis://127.0.0.1:6379/6) and RATELIMIT_ENABLED=0: every request comes from one
address, and the limits would turn the POSTs into 429s. Needs wrk: `apt-get install -y wrk`.
Each run stores the POSTed responses in the database (a few thousand): scale a fresh one to
compare runs exactly.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
BENCH = os.path.join(ROOT, "bench")
SECONDS = int(os.environ.get("SPEED_SECONDS", 10))
THREADS, CONNECTIONS = 2, 32
HELLO_PORT, APP_PORT = int(os.environ.get("SPEED_HELLO_PORT", 8601)), int(os.environ.get("SPEED_APP_PORT", 8602))
# SPEED_ROUNDS > 1: each page measured that many times (bare Flask before each), the round with
# the median share reported; steadier on a busy machine.
ROUNDS = max(1, int(os.environ.get("SPEED_ROUNDS", 1)))
TOKEN_PAIRS = 64
# SPEED_ONLY="post,form": only the rows whose name contains one of these words (case-insensitive).
ONLY = [w.strip().lower() for w in os.environ.get("SPEED_ONLY", "").split(",") if w.strip()]
PAGE_TARGET, POST_TARGET, P99_TARGET_MS = 0.40, 0.25, 100.0


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def check_prerequisites():
    if shutil.which("wrk") is None:
        fail("wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgresql", "postgres:")):
        fail("Set DATABASE_URL to a PostgreSQL database scaled with `flask --app wsgi demo --scale`.")


def demo_targets():
    """Ids of the demo pages, read from the database, and a valid form body for the POST."""
    from app import create_app
    from app.consultations.models import Consultation
    from app.demo import scale
    from app.extensions import db
    from config import Config

    class Settings(Config):
        RATELIMIT_ENABLED = False

    app = create_app(Settings)
    with app.app_context():
        try:
            scale.ensure_not_scaled()
            fail("This database is not scaled: run `flask --app wsgi demo --scale` first.")
        except scale.AlreadyScaled:
            pass
        consultations = db.session.scalars(db.select(Consultation).order_by(Consultation.id)).all()
        open_one = next(c for c in consultations if c.status == "open")
        from app.actions.models import YouSaidWeDid

        ysyw = db.session.scalar(db.select(YouSaidWeDid).where(YouSaidWeDid.published_at.is_not(None)))
        if ysyw is None:
            fail("No published \"You said, we did\" page: load the demo with `flask demo --scale`.")
        fields = [("csrf_token", "CSRF_TOKEN"), ("submission_key", "SUBMISSION_KEY")]
        for question in open_one.questions:
            if question.kind == "free_text":
                fields.append((question.field_name, "More benches near the play area, and better lighting."))
            elif question.kind == "agreement":
                fields.append((question.field_name, "4"))
            elif question.kind == "multiple_choice":
                fields += [(question.field_name, str(o.id)) for o in question.options[:2]]
            else:
                fields.append((question.field_name, str(question.options[0].id)))
        body = urllib.parse.urlencode(fields)
        return open_one.id, ysyw.consultation_id, body


def start(name, module, port, env):
    log = open(os.path.join(tempfile.gettempdir(), f"speed-{name}.log"), "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", os.path.join(ROOT, "deploy", "gunicorn.conf.py"), module],
        cwd=ROOT, env={**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "warning"},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return process
        except OSError:
            if process.poll() is not None:
                fail(f"{name} did not start: see {log.name}")
            time.sleep(0.5)
    stop(process)
    fail(f"{name} did not answer within 60 s: see {log.name}")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fetch_tokens(form_url, path):
    """TOKEN_PAIRS (session cookie, CSRF token) pairs, each from its own visit to the form."""
    with open(path, "w") as out:
        for _ in range(TOKEN_PAIRS):
            jar = CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            html = opener.open(form_url, timeout=10).read().decode()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
                r'name="csrf_token"[^>]*value="([^"]+)"', html)
            # Production cookies are Secure, which the jar won't keep for http://: read the header.
            cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
            if not cookie:
                response = opener.open(form_url, timeout=10)
                cookie = "; ".join(v.split(";", 1)[0] for k, v in response.headers.items() if k.lower() == "set-cookie")
            if not token or not cookie:
                fail("Could not read a CSRF token and session cookie from the response form.")
            out.write(f"{cookie}\t{urllib.parse.quote(token.group(1), safe='')}\n")


def wrk(url, seconds=SECONDS, script=None, env=None):
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    stored = re.search(r"POST_STORED (\d+) POST_OTHER (\d+)", out)
    return {"rps": rps, "p50": _ms(latency.get("50")), "p99": _ms(latency.get("99")),
            "bad": int(bad.group(1)) if bad else 0, "socket": errors.group(1) if errors else "",
            "post": (int(stored.group(1)), int(stored.group(2))) if stored else None}


def _ms(text):
    if not text:
        return float("nan")
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def main():
    check_prerequisites()
    open_id, ysyw_id, body = demo_targets()
    app_env = {"APP_ENV": "production", "SECRET_KEY": "speed-bench-secret-key-not-for-use",
               "EQUALITY_KEY": os.environ.get("EQUALITY_KEY", "dev-only-equality-key"),
               "BASE_URL": f"http://127.0.0.1:{APP_PORT}", "RATELIMIT_ENABLED": "0",
               "REDIS_URL": os.environ.get("SPEED_REDIS_URL", "redis://127.0.0.1:6379/6"),
               }
    base = f"http://127.0.0.1:{APP_PORT}"
    pages = [("Home", "/"), ("Consultation list", "/consultations"),
             ("A consultation", f"/consultations/{open_id}"), ("Response form", f"/consultations/{open_id}/respond"),
             ("You said, we did", f"/you-said-we-did/{ysyw_id}"), ("Council progress", "/progress"),
             ("API list", "/api/v1/consultations")]
    workdir = tempfile.mkdtemp(prefix="speed-")
    hello = start("hello", "hello:app", HELLO_PORT, {"PYTHONPATH": BENCH})
    ours = None
    try:
        ours = start("app", "wsgi:app", APP_PORT, app_env)
        tokens, body_file = os.path.join(workdir, "tokens.tsv"), os.path.join(workdir, "body.txt")
        fetch_tokens(base + f"/consultations/{open_id}/respond", tokens)
        with open(body_file, "w") as out:
            out.write(body)
        print(f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s x {ROUNDS} round(s), gunicorn -c deploy/gunicorn.conf.py for both "
              f"(WEB_CONCURRENCY={os.environ.get('WEB_CONCURRENCY', 'default')}), PostgreSQL, scaled demo")
        wrk(f"http://127.0.0.1:{HELLO_PORT}/", seconds=2)  # warm-up
        rows = []
        post_env = {"SPEED_TOKENS": tokens, "SPEED_BODY": body_file}
        post = ("Response POST", f"/consultations/{open_id}/respond", POST_TARGET,
                {"script": os.path.join(BENCH, "speed_post.lua"), "env": post_env})
        for name, path, target, extra in [(n, p, PAGE_TARGET, {}) for n, p in pages] + [post]:
            if ONLY and not any(word in name.lower() for word in ONLY):
                continue
            wrk(base + path, seconds=2, **extra)  # warm-up: imports, connection pools, caches
            pairs = []
            for _ in range(ROUNDS):
                # Bare Flask just before each page: on a shared machine the load moves within a run.
                bare = wrk(f"http://127.0.0.1:{HELLO_PORT}/")
                pairs.append((bare, wrk(base + path, **extra)))
            pairs.sort(key=lambda pair: pair[1]["rps"] / pair[0]["rps"])
            bare, result = pairs[len(pairs) // 2]  # the round with the median share
            rows.append((name, bare, result, target))
    finally:
        for process in (ours, hello):
            if process is not None:
                stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    report(rows)


def report(rows):
    print("| Page | Requests/s | Bare Flask just before | Share of bare Flask | p50 (ms) | p99 (ms) | Target met |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, bare, result, target in rows:
        share = result["rps"] / bare["rps"]
        met = share >= target and result["p99"] < P99_TARGET_MS and not result["bad"]
        notes = []
        if result["bad"]:
            notes.append(f"{result['bad']} non-2xx/3xx")
        if result["post"]:
            notes.append(f"{result['post'][0]} stored, {result['post'][1]} not")
        if result["socket"]:
            notes.append("socket errors " + result["socket"])
        missed = [f"share < {target:.0%}"] if share < target else []
        missed += [f"p99 >= {P99_TARGET_MS:.0f} ms"] if result["p99"] >= P99_TARGET_MS else []
        verdict = "yes" if met else "no: " + ", ".join(missed or ["errors"])
        print(f"| {name} | {result['rps']:.0f} | {bare['rps']:.0f} (p99 {bare['p99']:.0f} ms) | {share:.0%} | "
              f"{result['p50']:.1f} | {result['p99']:.1f} | {verdict}{'; ' + ', '.join(notes) if notes else ''} |")


if __name__ == "__main__":
    main()
