"""Turning the year's frames into the published bytes: Parquet tables and website JSON."""
