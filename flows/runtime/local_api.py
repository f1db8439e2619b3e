"""Prefect's temporary API for one command: `python -m flows.runtime.local_api FD PARENT_PID` (prefect_env).

The same app Prefect's own temporary server runs (`create_app(ephemeral=True)`: the API without the UI and
the scheduling services) served by uvicorn, as `prefect server start` serves it, on the listening socket the
parent bound (file descriptor FD: no port to race for). It exits when the parent does, even after kill -9.
"""

from __future__ import annotations

import socket
import sys

from annual_review.processes import exit_with_parent


def serve(listening: socket.socket) -> None:
    """Serve Prefect's ephemeral API app until SIGTERM (uvicorn then shuts the app down in order)."""
    import uvicorn
    from prefect.server.api.server import create_app

    app = create_app(ephemeral=True, final=True)
    config = uvicorn.Config(app, log_level="error", lifespan="on", timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[listening])


def main() -> None:
    fd, parent = (int(arg) for arg in sys.argv[1:3])
    exit_with_parent(parent)
    serve(socket.socket(fileno=fd))


if __name__ == "__main__":
    main()
