"""gunicorn settings for running the app: `gunicorn -c python:screening.web.gunicorn_conf screening.web.wsgi:app`.

gunicorn names itself in every response's Server header and has no setting to stop it; its response class reads
the name from this module attribute, so a neutral name here keeps the server and its version to ourselves."""

import gunicorn.glogging
import gunicorn.http.wsgi

from screening.web.logs import escaped

gunicorn.http.wsgi.SERVER = "cse-screening"

forwarded_allow_ips = "127.0.0.1"  # trust X-Forwarded-* only from a proxy on this host (see TRUSTED_PROXY_HOPS)
accesslog = "-"
# The path without its query string (%(U)s, not %(r)s): a query can carry a name or a filter (/admin/audit?actor=).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class EscapedAccessLog(gunicorn.glogging.Logger):
    """gunicorn's logger, with every value of an access line escaped: `%0d%0a` in an address can never write a
    second, forged line (gunicorn writes the decoded path as it came)."""

    def atoms(self, resp, req, environ, request_time):
        found = super().atoms(resp, req, environ, request_time)
        return {name: escaped(value) if isinstance(value, str) else value for name, value in found.items()}


logger_class = EscapedAccessLog
# gunicorn's control socket is one path per host by default, so a second instance would take over the first's;
# nothing here uses it (stop and reload by signal, as the deployment notes say).
control_socket_disable = True
