"""A run's options, checked the same way whether they come from the command line or a flow's parameters
(a deployment's Custom run in the UI): a mistake is one line, never a run that quietly does less.

Light on purpose (no pandas): the command checks its options here before Prefect's API starts.
"""

from __future__ import annotations

from collections.abc import Iterable

from annual_review.errors import PipelineError
from annual_review.layout import LETTER_FORMATS
from transforms.vocab import PEER_METHODS


def check_letter_formats(formats: Iterable[str], option: str = "formats") -> tuple[str, ...]:
    """The letter formats asked for, in LETTER_FORMATS' order; none is allowed (no letters)."""
    chosen = [name.strip() for name in formats if name.strip() and name.strip() != "none"]
    unknown = [name for name in chosen if name not in LETTER_FORMATS]
    if unknown:
        both = ",".join(LETTER_FORMATS)
        raise PipelineError(
            f"{option} takes {', '.join(LETTER_FORMATS)} or both ({both}), or none; not {', '.join(unknown)}"
        )
    return tuple(name for name in LETTER_FORMATS if name in chosen)


def check_peer_method(method: str, option: str = "peer_method") -> str:
    if method not in PEER_METHODS:
        raise PipelineError(f"{option} must be {' or '.join(PEER_METHODS)}, not {method!r}")
    return method
