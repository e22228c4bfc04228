"""Durable storage: SQLAlchemy schema, the store, and Alembic migrations."""
