"""One blueprint per user area; each view is thin: build the form, validate, call the engine, render or redirect."""

# Modules whose views join another's blueprint: child_step, journey and outcome join screening's, group_training
# joins training's, second_factor and single_sign_on join auth's.
from . import child_step, group_training, journey, outcome, second_factor, single_sign_on  # noqa: F401
from .admin import admin
from .api import api
from .assurance import assurance
from .auth import auth
from .child_data import child_data
from .children import records
from .dashboard import board
from .decision_tables import tables
from .errors import errors
from .followup import after
from .health import health
from .join import join
from .language import language
from .rule_editor import editor
from .rules import rules
from .screening import screening
from .training import training

BLUEPRINTS = (screening, records, after, board, api, training, errors, auth, admin, rules, health,
              assurance, child_data, join, editor, tables, language)
