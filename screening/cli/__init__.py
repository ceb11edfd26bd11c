"""The `screening` command line (click): validate, evaluate, explain, vignettes, diff, users, audit, purge, serve."""

from .main import main

__all__ = ["main"]
