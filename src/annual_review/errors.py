"""Errors a user can act on: the command line prints them as one line and exits non-zero."""


class PipelineError(Exception):
    """A bad argument, a bad input or a refused step; the message names what to fix."""


class InputError(PipelineError):
    """An export is missing, unreadable, lacks a column, or has too many rejected rows."""


class ReleaseRefused(PipelineError):
    """A release that must not happen (too early, nothing staged, a changed candidate)."""
