"""Prefect plumbing the flows stand on: its environment and local API, caching and retry rules, user
errors as one line, and runs a killed process left behind."""
