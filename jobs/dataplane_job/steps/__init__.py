"""Step handlers, one module per step type; importing a module registers its handlers."""
from . import offload  # noqa: F401
