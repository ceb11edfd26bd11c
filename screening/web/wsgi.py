"""WSGI entry point for servers such as gunicorn: `gunicorn screening.web.wsgi:app` (settings from the environment)."""

from . import create_app

app = create_app()
