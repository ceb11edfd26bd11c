"""Storage: SQLAlchemy 2 over SQLite by default (PostgreSQL via DATABASE_URL)."""

from .db import Database
from .models import AuditEvent, Base, Screening, User

__all__ = ["AuditEvent", "Base", "Database", "Screening", "User"]
