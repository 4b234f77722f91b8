"""The documented deployment on one machine: nginx in front of several gunicorn instances and
an RQ worker, sharing one PostgreSQL database and one Redis.

Used by tests/deploy (the multi-server, load and database-restart tests) and by
bench/load_two_servers.py. Each instance runs `gunicorn -c deploy/gunicorn.conf.py wsgi:app`
and nginx uses deploy/nginx/have-your-say-proxy.conf, exactly as docs/deploy.md installs them;
only TLS is left out (the server block listens on plain HTTP on a free local port).

nginx also takes a test-only header, X-Simulated-Client, as the client's address (its realip
module), so a load generator on one machine can stand for many residents on many addresses.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
{user}
events {{ worker_connections 2048; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream have_your_say {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_tokens off;
        client_max_body_size 2m;
        client_body_timeout 15s;
        client_header_timeout 15s;
        set_real_ip_from 127.0.0.1;
        real_ip_header X-Simulated-Client;
        # As deploy/nginx/have-your-say.conf: flipchart photos on a group conversation's record.
        location ~ ^/conversations/host/[^/]+/records/ {{
            client_max_body_size 24m;
            proxy_pass http://have_your_say;
            include {root}/deploy/nginx/have-your-say-proxy.conf;
        }}
        location / {{
            proxy_pass http://have_your_say;
            include {root}/deploy/nginx/have-your-say-proxy.conf;
        }}
    }}
}}
"""


class LocalStack:
    """Start with `with LocalStack(database_url, redis_url) as stack:`; `stack.url` is nginx."""

    def __init__(self, database_url: str, redis_url: str, instances: int = 2, workers: int = 2,
                 extra_env: dict | None = None):
        self.database_url = database_url
        self.redis_url = redis_url
        self.instances = instances
        self.workers = workers
        self.extra_env = extra_env or {}
        self.processes: list[subprocess.Popen] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="localstack-"))
        self.ports = [free_port() for _ in range(instances)]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.secret_key = secrets.token_urlsafe(32)  # one for all instances, as in production

    @property
    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
        redis_base = self.redis_url.rsplit("/", 1)[0]
        env.update({
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "RATELIMIT_STORAGE_URI": f"{redis_base}/12",
            "TRUSTED_PROXIES": "1",
            "BASE_URL": self.url,
            "MAIL_BACKEND": "outbox",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": str(self.workers),
        })
        env.update(self.extra_env)
        return env

    def flask(self, *args: str) -> str:
        done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def python(self, script: str) -> str:
        """Run `script` in an app context with the stack's settings; returns what it printed."""
        prelude = "from app import create_app\ncreate_app().app_context().push()\n"
        done = subprocess.run([sys.executable, "-c", prelude + script], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"script failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _spawn(self, args, log_name, **env):
        log = open(self.tmp / log_name, "w")
        self.processes.append(subprocess.Popen(args, cwd=ROOT, env={**self.env, **env}, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True))

    def start(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(nginx):
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        self.flask("db", "upgrade")
        for i, port in enumerate(self.ports):
            metrics = self.tmp / f"metrics-{i}"
            metrics.mkdir()
            self._spawn([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                        f"gunicorn-{i}.log", GUNICORN_BIND=f"127.0.0.1:{port}",
                        PROMETHEUS_MULTIPROC_DIR=str(metrics))
        self._spawn([str(BIN / "rq"), "worker", "--url", self.redis_url, "default"], "rq.log")
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.tmp / sub).mkdir()
        os.chmod(self.tmp, 0o755)
        conf = self.tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            tmp=self.tmp, port=self.port, root=ROOT,
            user="user root;" if os.geteuid() == 0 else "",
            servers="\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in self.ports)))
        self._spawn([nginx, "-c", str(conf), "-g", "daemon off;"], "nginx.log")
        for port in [*self.ports, self.port]:
            self.wait_ready(f"http://127.0.0.1:{port}")
        return self

    def wait_ready(self, base: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{base} was not ready in {timeout} s; logs in {self.tmp}")
            time.sleep(0.3)

    def stop(self):
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()

    def log(self, name: str) -> str:
        path = self.tmp / name
        return path.read_text() if path.exists() else ""

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()
        if not any(exc):
            shutil.rmtree(self.tmp, ignore_errors=True)
