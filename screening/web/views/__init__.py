"""One blueprint per user area; each view is thin: build the form, validate, call the engine, render or redirect."""

from . import child_step, journey, outcome  # noqa: F401  (their views join the screening blueprint)
from .admin import admin
from .api import api
from .auth import auth
from .children import records
from .dashboard import board
from .errors import errors
from .followup import after
from .health import health
from .rules import rules
from .screening import screening
from .training import training

BLUEPRINTS = (screening, records, after, board, api, training, errors, auth, admin, rules, health)
