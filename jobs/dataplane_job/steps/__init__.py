"""Step handler modules; importing one registers its ``@step`` handlers. Add a module here to add step types."""

from . import audit, etl, maintenance, migrate, profile, sql  # noqa: F401
