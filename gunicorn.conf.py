"""The production server's settings: ``gunicorn --paste production.ini -c gunicorn.conf.py``.

Why gunicorn: a page costs CPU in Python, and one process uses one core at a time (the GIL), so
a server needs a process per core; gunicorn's master starts them, restarts one that dies and
hands out connections from one socket. Each worker runs a few threads (``gthread``) so that a
request waiting on PostgreSQL does not leave its core idle. See docs/deploying.md.

Each setting can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import os

# Behind the proxy (docs/deploying.md): the proxy alone listens on the network.
bind = os.environ.get("STALKER_WEB_BIND", "127.0.0.1:6543")

# One process per core this one may run on (its CPU affinity); a worker holds
# about 140 MB once warm, and the password hashing cap (argon2.max_concurrent) bounds a burst of
# logins to 2 x 64 MiB more per worker.
workers = int(os.environ.get("STALKER_WEB_WORKERS", len(os.sched_getaffinity(0))))
worker_class = "gthread"
threads = int(os.environ.get("STALKER_WEB_THREADS", 4))

# Connections the kernel queues while every thread is busy: they wait their turn instead of being
# refused, and no worker stops accepting because of a connection limit (waitress's default of
# 100 made a request wait 58 s under 100 users).
backlog = 2048
# Open connections (idle keep-alive ones included) per worker.
worker_connections = 1000
keepalive = 5

# A worker silent this long is restarted; a request never takes near this (the database has its
# own statement timeout). On restart or upgrade, requests in flight get this long to finish.
timeout = 60
graceful_timeout = 30

# Recycle a worker now and then (spread out, never all at once): memory freed by large pages and
# password hashes returns to the system.
max_requests = 5000
max_requests_jitter = 500

# Each worker loads the app itself: its database pool and queue connections are its own, never
# shared across a fork.
preload_app = False

# The app decides which forwarded headers to believe (app.trusted_proxies in the ini), for the
# scheme, the host and the client's address alike: gunicorn believes none of them.
forwarded_allow_ips = ""

# gunicorn 25+ opens a control socket at one path per user: a second server on the host (or a
# test's) would take it over. Nothing here uses gunicornc.
control_socket_disable = True
