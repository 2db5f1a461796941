"""Step handlers, registered by plan step type; importing a module registers its handlers."""
from typing import Any, Callable, Mapping

Handler = Callable[[Any, Mapping[str, Any]], Any]

#: Plan step type -> handler(spark, step).
HANDLERS: dict[str, Handler] = {}


def step(step_type: str) -> Callable[[Handler], Handler]:
    """Registers the decorated function as the handler of `step_type`."""

    def register(handler: Handler) -> Handler:
        if step_type in HANDLERS:
            raise ValueError(f"step type {step_type!r} registered twice")
        HANDLERS[step_type] = handler
        return handler

    return register


from . import offload  # noqa: E402,F401  (modules register themselves on import)
