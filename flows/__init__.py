"""Prefect flows: thin orchestration of the steps in annual_review.steps."""
