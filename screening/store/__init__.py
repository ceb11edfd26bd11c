"""Storage: SQLAlchemy 2 over SQLite by default (PostgreSQL via DATABASE_URL)."""

from .db import Database
from .models import Base, Screening

__all__ = ["Base", "Database", "Screening"]
