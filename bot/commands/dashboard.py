"""`ouderbrug dashboard`: serve the web dashboard on its own, for a bot that polls."""

from __future__ import annotations

import argparse

from bot.settings import Settings

NAME = "dashboard"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its options."""
    dashboard = commands.add_parser(
        NAME, help="serve the web dashboard at /dashboard (upgrades the database first)"
    )
    dashboard.add_argument("--port", type=int, help="the port to listen on (DASHBOARD_PORT)")
    dashboard.add_argument("--listen", help="the address to listen on (DASHBOARD_LISTEN)")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Serve until stopped."""
    import uvicorn

    from bot.dashboard.app import PREFIX, standalone
    from bot.logs import configure
    from bot.storage.migrate import upgrade
    from bot.system.build import build_system

    configure(settings.log_level)
    port = arguments.port or settings.dashboard_port
    listen = arguments.listen or settings.dashboard_listen
    if arguments.port or arguments.listen:
        # The links the bot sends name this address unless DASHBOARD_URL says otherwise.
        settings = settings.model_copy(update={"dashboard_port": port, "dashboard_listen": listen})
    system = build_system(settings)
    upgrade(settings.database)
    # The flows give the export its columns and the drop-off its order of questions.
    system.registry.reload()
    from bot.digests.needs import fill_older_needs

    fill_older_needs(system.storage.transactions, system.registry)
    print(f"Dashboard: {settings.dashboard_address}/ (sign in by sending /dashboard to the bot)")
    app = standalone(system.dashboard, prefix=PREFIX)
    uvicorn.run(app, host=listen, port=port, log_level="warning", proxy_headers=True)
    return 0
