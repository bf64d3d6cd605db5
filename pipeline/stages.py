"""Stages: named, versioned steps that declare what they read, write and return.

``@stage("segment.sections.v1", reads=("lines",), writes=("sections",), returns=Outline)``
registers a function; :func:`run_stage` calls it, rejects a result of the wrong
type (a bug in the stage, reported as :class:`StageContractError`), and turns
any failure into an :class:`~pipeline.model.ErrorItem` so that the document
goes on with what the other stages produce.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pipeline.errors import KehoachError, StageContractError
from pipeline.model import ErrorItem

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    returns: type | tuple[type, ...]
    func: Callable[..., Any]


STAGES: dict[str, StageInfo] = {}


def stage(name: str, *, reads: tuple[str, ...], writes: tuple[str, ...],
          returns: type | tuple[type, ...]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Register a stage under a versioned name ("<group>.<what>.v<n>")."""
    parts = name.rsplit(".", 1)
    if len(parts) != 2 or not parts[1].startswith("v") or not parts[1][1:].isdigit():
        raise ValueError(f"stage name {name!r} must end in a version, like 'repair.diacritics.v1'")

    def register(func: Callable[..., T]) -> Callable[..., T]:
        if name in STAGES and STAGES[name].func is not func:
            raise ValueError(f"stage {name!r} is registered twice")
        STAGES[name] = StageInfo(name, reads, writes, returns, func)
        return func

    return register


def run_stage(name: str, errors: list[ErrorItem], default: T, *args: Any, **kwargs: Any) -> T:
    """Run a registered stage; on failure record an error item and return ``default``."""
    info = STAGES[name]
    try:
        result = info.func(*args, **kwargs)
        if not isinstance(result, info.returns):
            raise StageContractError(
                f"stage {name} returned {type(result).__name__}, expected "
                f"{getattr(info.returns, '__name__', info.returns)}")
        return result
    except KehoachError as exc:
        errors.append(ErrorItem(name, exc.category, str(exc)))
    except MemoryError:  # the document is over its memory limit: it fails as a whole, saying so
        raise
    except Exception as exc:  # a bug in a stage must not sink the batch
        log.debug("stage %s failed", name, exc_info=True)
        errors.append(ErrorItem(name, "internal", f"{type(exc).__name__}: {exc}"))
    return default
