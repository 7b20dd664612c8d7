"""``python -m bubble_moto -H 127.0.0.1 -p PORT``: moto's server with this package's
CloudFormation models. Arguments and behaviour are moto_server's (``/moto-api/``,
``/moto-api/config``, ...), except that it only binds loopback addresses: the
emulator accepts any credentials, so it must not be reachable from the network."""

from __future__ import annotations

import argparse
import ipaddress
import sys


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Only peek at the host here; moto's own parser reads every argument below.
    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("-H", "--host", default="127.0.0.1")
    host = peek.parse_known_args(argv)[0].host
    if not is_loopback(host):
        sys.exit(
            f"bubble_moto: refusing to bind {host!r}: only loopback addresses "
            "(127.0.0.1, ::1, localhost) are allowed"
        )

    from moto import server

    from . import register

    register()  # before the server handles its first request
    server.main(argv)


if __name__ == "__main__":
    main()
