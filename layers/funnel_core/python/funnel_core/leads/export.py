"""A funnel's submissions as CSV for its owners: one column per field any submission has, UTF-8,
every cell a spreadsheet would run as a formula neutralized. Written to S3 and handed out as a
short-lived presigned URL, so an export of any size fits Lambda's 6 MB answer."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from funnel_core.builder.access import FunnelAction, FunnelAuthorizer
from funnel_core.caller import Caller
from funnel_core.container import once
from funnel_core.errors import DomainError
from funnel_core.leads.listing import SubmissionFilter
from funnel_core.ontology.access import Authorizer, authorizer
from funnel_core.settings import get_settings
from funnel_core.store.client import s3
from funnel_core.store.default import table
from funnel_core.store.table import Table

URL_LIFETIME_SECONDS = 900
_FIXED = ["submittedAt", "submissionId", "status", "stepId", "customerId"]
_TRAILING = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer", "device"]
# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    url: str
    rows: int
    bytes: int
    expiresAt: str


def neutralized(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def to_csv(records: list[dict[str, Any]]) -> str:
    fields: dict[str, None] = {}
    for record in records:
        for name in (record.get("properties") or {}).get("data") or {}:
            fields.setdefault(name, None)
    data_columns = sorted(fields, key=lambda name: (name != "email", list(fields).index(name)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_FIXED + data_columns + _TRAILING)
    for record in records:
        properties = record.get("properties") or {}
        data, metadata = properties.get("data") or {}, properties.get("metadata") or {}
        fixed = [
            record.get("createdAt"),
            record.get("thingId"),
            record.get("status"),
            properties.get("stepId"),
            properties.get("customerId"),
        ]
        row = fixed + [data.get(name) for name in data_columns] + [metadata.get(name) for name in _TRAILING]
        writer.writerow([neutralized(cell) for cell in row])
    return out.getvalue()


class Exports:
    def __init__(self, table: Table, access: Authorizer) -> None:
        self.table = table
        self.funnel_access = FunnelAuthorizer(access)

    def export(self, caller: Caller, group_id: str, funnel_id: str, selection: SubmissionFilter) -> Export:
        """Owners only (SPEC): the submissions, oldest first, written to S3."""
        _, funnel = self.funnel_access.with_funnel(caller, group_id, funnel_id, FunnelAction.EXPORT)
        records = list(self.table.query_all(selection.query(group_id, funnel_id, newest_first=False)))
        body = ("\ufeff" + to_csv(records)).encode("utf-8")  # the BOM tells spreadsheets it is UTF-8
        bucket = get_settings().exports_bucket_name
        if not bucket:
            raise DomainError("exports are not configured (EXPORTS_BUCKET_NAME)")
        now = datetime.now(UTC)
        key = f"exports/{group_id}/{funnel_id}/{now:%Y%m%dT%H%M%S}-{secrets.token_hex(8)}.csv"
        client = s3()
        client.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType="text/csv; charset=utf-8",
            ContentDisposition=f'attachment; filename="{funnel.slug}-submissions-{now:%Y-%m-%d}.csv"',
        )
        url = client.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=URL_LIFETIME_SECONDS
        )
        expires = (now + timedelta(seconds=URL_LIFETIME_SECONDS)).isoformat(timespec="seconds").replace("+00:00", "Z")
        return Export(url=url, rows=len(records), bytes=len(body), expiresAt=expires)


@once
def service() -> Exports:
    return Exports(table(), authorizer())
