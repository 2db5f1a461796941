"""Step handlers, keyed by the plan's step ``type``.

A handler module registers itself with the decorator and is imported from ``steps/__init__.py``::

    @step("rewrite-manifests", required=("table",))
    def rewrite_manifests(ctx, spec): ...
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[Any, dict[str, Any]], Any]


@dataclass(frozen=True)
class StepHandler:
    type: str
    run: Handler
    required: tuple[str, ...]


_HANDLERS: dict[str, StepHandler] = {}


def step(type_name: str, *, required: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
    """Registers the decorated function as the handler of ``type_name``; ``required`` keys are checked up front."""

    def register(fn: Handler) -> Handler:
        if type_name in _HANDLERS:
            raise ValueError(f"step type {type_name!r} is registered twice")
        _HANDLERS[type_name] = StepHandler(type_name, fn, tuple(required))
        return fn

    return register


def handler_for(type_name: str) -> StepHandler | None:
    return _HANDLERS.get(type_name)


def registered_types() -> tuple[str, ...]:
    return tuple(sorted(_HANDLERS))
