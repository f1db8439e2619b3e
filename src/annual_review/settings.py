"""One typed settings object: where things go, when years are released, how strict validation is."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from annual_review.years import BusinessYear


class Settings(BaseSettings):
    """Read from ANNUAL_REVIEW_* environment variables (and a .env file in the working folder)."""

    model_config = SettingsConfigDict(
        env_prefix="ANNUAL_REVIEW_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    store: str = Field("var/store", description="a local folder, or s3://bucket/prefix")
    s3_endpoint_url: str | None = Field(
        None, description="an S3-compatible server; default AWS_ENDPOINT_URL(_S3), else AWS"
    )
    exports_dir: Path = Field(
        Path("var/exports"), description="where a year's exports arrive, one folder per year (e.g. 2019-20/)"
    )
    work_dir: Path = Field(Path("var/work"), description="intermediate files of runs (safe to delete)")
    max_reject_rate: float = Field(0.005, ge=0, le=1, description="per file, before a run stops")
    peer_method: str = Field("mean", pattern="^(mean|pooled)$")
    release_times: dict[str, datetime] = Field(
        default_factory=dict, description="per business year, overrides 09:30 London on 29 July"
    )
    letter_dates: dict[str, date] = Field(
        default_factory=dict, description="per business year, overrides 7 days before release"
    )
    content_dir: Path | None = Field(
        None, description="folder of per-year letter content; default: the one shipped"
    )
    workers: int = Field(0, ge=0, description="processes for PDF letters; 0 means one per core")

    @field_validator("release_times")
    @classmethod
    def _aware(cls, value: dict[str, datetime]) -> dict[str, datetime]:
        for label, when in value.items():
            BusinessYear.parse(label)
            if when.tzinfo is None:
                raise ValueError(f"release time for {label} needs a timezone, e.g. +01:00")
        return value

    def release_time(self, year: BusinessYear) -> datetime:
        return self.release_times.get(year.label) or year.default_release_time()

    def letter_date(self, year: BusinessYear) -> date:
        if year.label in self.letter_dates:
            return self.letter_dates[year.label]
        if year.label in self.release_times:
            return self.release_time(year).date() - timedelta(days=7)
        return year.default_letter_date()
