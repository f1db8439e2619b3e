"""The store on S3 or any S3-compatible server, through boto3.

Credentials come only from boto3's standard chain (environment, profile, instance role) and are
never logged. The endpoint is `endpoint_url` if given, else AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL
(read by boto3 itself), else AWS. Every put sends a SHA-256 checksum the server verifies and
keeps; head and get ask for it back (ChecksumMode), so the sha256 they report is the server's own
record of the bytes, not a note beside them that could outlive them. A request S3 refuses because
this machine's clock is far off (RequestTimeTooSkewed) ends in one line saying so.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from annual_review.errors import StoreUnusable
from annual_review.store.base import ObjectInfo, WriteConflict

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

_CONFLICT_CODES = {"PreconditionFailed", "ConditionalRequestConflict", "412"}
_MISSING_CODES = {"NoSuchKey", "404", "NotFound"}


class S3Store:
    def __init__(self, client: S3Client, bucket: str, prefix: str, presigner: S3Client | None = None) -> None:
        self._client = client
        self._presigner = presigner or client
        client.meta.events.register("after-call.s3", _refuse_on_clock_skew)
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/")

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        endpoint_url: str | None = None,
        max_attempts: int = 5,
        retry_mode: Literal["standard", "adaptive"] = "standard",
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_pool_connections: int = 32,
    ) -> S3Store:
        """Retries and timeouts are explicit, so a dead endpoint fails in seconds, not minutes."""
        if not url.startswith("s3://") or len(url) <= len("s3://"):
            raise ValueError(f"{url!r} is not of the form s3://bucket/prefix")
        bucket, _, prefix = url[len("s3://") :].partition("/")
        custom_endpoint = (
            endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        )
        config = Config(
            retries={"mode": retry_mode, "max_attempts": max_attempts},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=max_pool_connections,
            s3={"addressing_style": "path" if custom_endpoint else "auto"},
        )
        session = boto3.session.Session()
        client = session.client("s3", endpoint_url=endpoint_url, config=config)
        # Links for browsers: SigV4 (the only one S3 servers agree on), path-style (SeaweedFS needs it).
        signing = Config(signature_version="s3v4", s3={"addressing_style": "path"})
        presigner = session.client("s3", endpoint_url=endpoint_url, config=signing)
        return cls(client, bucket, prefix, presigner)

    def __repr__(self) -> str:
        return f"S3Store({self.url!r})"

    def _key(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"key {key!r} is not an object key")
        return self.prefix + key

    def put(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str,
        cache_control: str | None = None,
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> ObjectInfo:
        raw = hashlib.sha256(data).digest()
        digest = raw.hex()
        args: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": self._key(key),
            "Body": data,
            "ContentType": content_type,
            "ChecksumAlgorithm": "SHA256",
            "ChecksumSHA256": base64.b64encode(raw).decode(),
        }
        if cache_control is not None:
            args["CacheControl"] = cache_control
        if if_match is not None:
            args["IfMatch"] = if_match
        if if_none_match:
            args["IfNoneMatch"] = "*"
        try:
            response = self._client.put_object(**args)
        except ClientError as error:
            if _code(error) not in _CONFLICT_CODES:
                raise
            # A retried put whose first attempt landed looks like a conflict: it is not one.
            current = self.head(key)
            if current is None or current.sha256 != digest:
                raise WriteConflict(f"{key}: {_code(error)}") from None
            return current
        return ObjectInfo(key, len(data), content_type, cache_control, digest, response.get("ETag"))

    def get(self, key: str) -> bytes:
        found = self.get_with_info(key)
        if found is None:
            raise FileNotFoundError(f"{self.url}/{key}")
        return found[0]

    def get_with_info(self, key: str) -> tuple[bytes, ObjectInfo] | None:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=self._key(key), ChecksumMode="ENABLED")
        except ClientError as error:
            if _code(error) in _MISSING_CODES:
                return None
            raise
        data = response["Body"].read()
        return data, _info(key, response)

    def head(self, key: str) -> ObjectInfo | None:
        try:
            response = self._client.head_object(
                Bucket=self.bucket, Key=self._key(key), ChecksumMode="ENABLED"
            )
        except ClientError as error:
            if _code(error) in _MISSING_CODES:
                return None
            raise
        return _info(key, response)

    def list(self, prefix: str) -> Iterator[str]:
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :]

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def presign_get(self, key: str, expires_in: int) -> str:
        """A GET link that works for whoever holds it, for expires_in seconds (7 days at most)."""
        params = {"Bucket": self.bucket, "Key": self._key(key)}
        return self._presigner.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)

    def allow_browser_gets(self, origins: Sequence[str]) -> None:
        """A CORS rule for GET/HEAD from the origins; other rules of the bucket are kept."""
        rule_id = f"annual-review {self.url}"
        try:
            rules = self._client.get_bucket_cors(Bucket=self.bucket)["CORSRules"]
        except ClientError as error:
            if _code(error) != "NoSuchCORSConfiguration":
                raise
            rules = []
        ours: Any = {"ID": rule_id, "AllowedOrigins": [*origins], "AllowedMethods": ["GET", "HEAD"]}
        ours |= {"AllowedHeaders": ["*"], "MaxAgeSeconds": 3600}
        kept = [rule for rule in rules if rule.get("ID") != rule_id]
        self._client.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": [*kept, ours]})

    def allow_public_read(self, prefix: str) -> str:
        """Anonymous GetObject on <store prefix><prefix>*, by a bucket policy statement of its own."""
        resource = f"arn:aws:s3:::{self.bucket}/{self._key(prefix)}*"
        sid = "AnnualReviewPublicRead" + "".join(c for c in self.prefix + prefix if c.isalnum())
        try:
            policy = json.loads(self._client.get_bucket_policy(Bucket=self.bucket)["Policy"])
        except ClientError as error:
            if _code(error) != "NoSuchBucketPolicy":
                raise
            policy = {"Version": "2012-10-17", "Statement": []}
        statement = {"Sid": sid, "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
        kept = [s for s in policy.get("Statement", []) if s.get("Sid") != sid]
        policy["Statement"] = [*kept, {**statement, "Resource": resource}]
        self._client.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps(policy))
        return resource

    def clock(self) -> datetime | None:
        """The server's time, from the Date of a small listing: a fast local clock must not publish early."""
        response = self._client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)
        return parsedate_to_datetime(response["ResponseMetadata"]["HTTPHeaders"]["date"])

    def remove_partial_writes(self, prefix: str) -> int:
        """Nothing to do: a PUT is all or nothing on S3, a killed one leaves no object."""
        return 0


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _info(key: str, response: Any) -> ObjectInfo:
    checksum = response.get("ChecksumSHA256")  # absent when put without one; "...-N" for multipart
    return ObjectInfo(
        key=key,
        size=int(response["ContentLength"]),
        content_type=response.get("ContentType"),
        cache_control=response.get("CacheControl"),
        sha256=base64.b64decode(checksum).hex() if checksum and "-" not in checksum else None,
        etag=response.get("ETag"),
        modified=response.get("LastModified"),
    )


def _refuse_on_clock_skew(http_response: Any, parsed: Any, context: Any, **_: Any) -> None:
    """S3 refuses a request signed more than 15 minutes off its own time: this machine's clock is wrong."""
    if parsed.get("Error", {}).get("Code") != "RequestTimeTooSkewed":
        return
    signed = context.get("timestamp", "")  # as this machine's clock read when it signed: 20200729T083000Z
    ours = datetime.strptime(signed, "%Y%m%dT%H%M%SZ") if signed else None
    date = http_response.headers.get("Date")
    theirs = parsedate_to_datetime(date) if date else None
    raise StoreUnusable(
        f"this machine's clock is wrong: it reads {_utc(ours)}, the store's {_utc(theirs)} "
        "(S3 refuses requests more than 15 minutes off); set the clock right (NTP) and run again"
    )


def _utc(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment is not None else "?"
