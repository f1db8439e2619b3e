"""One typed settings object: where things go, when years are released, how strict validation is.

Built and checked once, at the start of a command or a flow (`load_settings`): a mistake in
the environment or `.env` stops it there, in one line naming the variable, before any work.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from annual_review.errors import PipelineError
from annual_review.years import BusinessYear
from transforms.vocab import PeerMethod

PREFIX = "ANNUAL_REVIEW_"


class Settings(BaseSettings):
    """Read from ANNUAL_REVIEW_* environment variables (and a .env file in the working folder)."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    store: str = Field("var/store", min_length=1, description="a local folder, or s3://bucket/prefix")
    s3_endpoint_url: str | None = Field(
        None, description="an S3-compatible server; default AWS_ENDPOINT_URL(_S3), else AWS"
    )
    exports_dir: Path = Field(
        Path("var/exports"), description="where a year's exports arrive, one folder per year (e.g. 2019-20/)"
    )
    work_dir: Path = Field(Path("var/work"), description="intermediate files of runs (safe to delete)")
    max_reject_rate: float = Field(0.005, ge=0, le=1, description="per file, before a run stops")
    peer_method: PeerMethod = "mean"
    release_times: dict[str, datetime] = Field(
        default_factory=dict, description="per business year, overrides 09:30 London on 29 July"
    )
    letter_dates: dict[str, date] = Field(
        default_factory=dict, description="per business year, overrides 7 days before release"
    )
    content_dir: Path | None = Field(
        None, description="folder of per-year letter content; default: the one shipped"
    )
    workers: int = Field(0, ge=0, description="threads for PDF letters; 0 means one per core")

    @field_validator("release_times")
    @classmethod
    def _release_after_year_end(cls, value: dict[str, datetime]) -> dict[str, datetime]:
        for label, when in value.items():
            year = _year(label)
            if when.tzinfo is None:
                raise ValueError(f"the release time of {label} needs a timezone, e.g. +01:00")
            if when.date() <= year.last_day:
                raise ValueError(f"the release time of {label} ({when}) is before {year} has ended")
        return value

    @field_validator("letter_dates")
    @classmethod
    def _letter_after_year_end(cls, value: dict[str, date]) -> dict[str, date]:
        for label, day in value.items():
            year = _year(label)
            if day <= year.last_day:
                raise ValueError(f"the letter date of {label} ({day}) is before {year} has ended")
        return value

    @field_validator("content_dir")
    @classmethod
    def _a_folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder (of per-year letter content)")
        return value

    def release_time(self, year: BusinessYear) -> datetime:
        return self.release_times.get(year.label) or year.default_release_time()

    def letter_date(self, year: BusinessYear) -> date:
        if year.label in self.letter_dates:
            return self.letter_dates[year.label]
        if year.label in self.release_times:
            return self.release_time(year).date() - timedelta(days=7)
        return year.default_letter_date()


def _year(label: str) -> BusinessYear:
    """A per-year key: a mistyped year would otherwise be silently ignored."""
    try:
        return BusinessYear.parse(label)
    except ValueError as error:
        raise ValueError(f"key {error}") from None


def load_settings() -> Settings:
    """The settings, checked: a mistake is a PipelineError of one line naming the variable."""
    try:
        return Settings()
    except ValidationError as error:
        raise PipelineError("settings: " + "; ".join(_describe(e) for e in error.errors())) from None
    except SettingsError as error:  # a JSON value that does not parse
        field = re.search(r'field "(\w+)"', str(error))
        name = PREFIX + field.group(1).upper() if field else "an ANNUAL_REVIEW_ variable"
        raise PipelineError(f"settings: {name} is not valid JSON ({error.__cause__ or error})") from None


def _describe(error: Any) -> str:
    field, *keys = error["loc"]
    name = PREFIX + str(field).upper() + "".join(f"[{key!r}]" for key in keys)
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int | float) else ""
    return f"{name}: {message}{shown}"
