"""XLSX with fixed bytes: the same frame gives the same file, whenever it is written."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.xml.functions import tostring

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_DOC_TIME = datetime(2000, 1, 1)


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """An XLSX whose bytes depend only on its data: fixed document and zip entry times."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(frame.columns))
    cells = frame.astype(object).where(frame.astype(str) != "", None)
    for column in [c for c in frame.columns if c.endswith("_date")]:
        parsed = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        real = parsed.notna()
        cells.loc[real, column] = pd.Series(parsed[real].dt.date, dtype=object)
    for row in cells.itertuples(index=False, name=None):
        ws.append(row)
    raw = io.BytesIO()
    wb.save(raw)
    props = DocumentProperties(
        creator="annual-review synthetic", created=_FIXED_DOC_TIME, modified=_FIXED_DOC_TIME
    )
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            core = item.filename == "docProps/core.xml"
            data = tostring(props.to_tree()) if core else src.read(item)
            fixed = zipfile.ZipInfo(item.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            dst.writestr(fixed, data)
