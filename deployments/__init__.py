"""The scheduled annual runs (prepare the year, release it): serve them with `python -m deployments`."""
