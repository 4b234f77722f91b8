"""gunicorn settings for the council's servers: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Sits behind nginx (deploy/nginx/have-your-say.conf), which buffers slow clients, serves static
files and terminates TLS, so gunicorn only ever talks to nginx on this machine.
Every value can be overridden from the environment (the systemd unit's EnvironmentFile).
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Worker count rule: two per core plus one, at most 12; each worker has a few threads so a
# slow database call doesn't hold a whole process. A web worker uses about 150 MB (the theme
# engine itself runs on RQ workers), so 2 cores and 4 GB take the default comfortably.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 12)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))

timeout = 60  # a request still running after this is killed and logged
graceful_timeout = 30  # on reload (HUP) or stop, in-flight requests get this long to finish
keepalive = 5
# Restart each worker now and then, so a slow leak can never grow without bound. Not too often:
# a worker takes 2-3 s of CPU to start, and at 2000 a busy server (bench/speed.py: ~700 req/s)
# restarted one every 3 s and spent half its CPU starting workers.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50000))
max_requests_jitter = max_requests // 10

# nginx on this machine is the only client; trust its X-Forwarded-* (TRUSTED_PROXIES=1 in the app).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

accesslog = "-"  # stdout, to the journal; nginx keeps the full access log
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Not preloaded: on `systemctl reload` (HUP) new workers load the new code while the old ones
# finish their requests, which is what makes an upgrade zero-downtime.
preload_app = False


def child_exit(server, worker):
    """Drop a finished worker's metric files (PROMETHEUS_MULTIPROC_DIR) from the live totals."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Once the app is loaded, move everything it allocated so far (modules, models, templates,
    routes) out of the garbage collector's sight: a full collection then only looks at what
    requests allocate, instead of pausing every thread of the worker for tens of milliseconds
    now and then (bench/speed.py saw them as p99 outliers)."""
    import gc

    gc.collect()
    gc.freeze()
