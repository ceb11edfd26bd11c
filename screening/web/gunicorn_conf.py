"""gunicorn settings for running the app: `gunicorn -c python:screening.web.gunicorn_conf screening.web.wsgi:app`.

gunicorn names itself in every response's Server header and has no setting to stop it; its response class reads
the name from this module attribute, so a neutral name here keeps the server and its version to ourselves."""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "cse-screening"

forwarded_allow_ips = "127.0.0.1"  # trust X-Forwarded-* only from a proxy on this host (see TRUSTED_PROXY_HOPS)
accesslog = "-"
# The path without its query string (%(U)s, not %(r)s): a query can carry a name or a filter (/admin/audit?actor=).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
