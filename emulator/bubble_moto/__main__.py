"""``python -m bubble_moto -H 127.0.0.1 -p PORT``: moto's server with this package's
CloudFormation models. Arguments and behaviour are moto_server's (``/moto-api/``,
``/moto-api/config``, ...), except that it only binds loopback addresses: the
emulator accepts any credentials, so it must not be reachable from the network.

``register()`` imports moto's CloudFormation, which imports most of moto (~3 s). So
that a server never asked for CloudFormation starts as fast as moto_server, it runs
when moto builds its CloudFormation app, i.e. under moto's dispatcher lock before the
first CloudFormation request is handled (moto builds one app per service, lazily). The
apigatewayv2 fix is applied the same way when the API Gateway app is built, and the
CloudWatch app learns the Smithy RPC v2 CBOR protocol (see rpcv2_cbor.py). With
``BUBBLE_MOTO_REQUEST_LOG`` set, every service's app logs its signed requests to that
file (see request_log.py)."""

from __future__ import annotations

import argparse
import ipaddress
import os
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

    if zone_ids := os.environ.get("BUBBLE_MOTO_HOSTED_ZONE_IDS"):
        from .route53 import preset_zone_ids

        try:
            preset_zone_ids(zone_ids)
        except ValueError as e:
            sys.exit(f"bubble_moto: {e}")

    from . import register, request_log
    from .rpcv2_cbor import wrap

    create_backend_app = server.create_backend_app

    def create_app(service: str) -> object:
        if service == "cloudformation":
            register()
        elif service == "apigateway":
            # The app for API Gateway's signing name serves v1 and v2 alike; the v2 fix
            # must not wait for a first CloudFormation request.
            from .apigatewayv2_fixes import patch

            patch()
        elif service == "cognito-idp":
            # Email-code sign-in without the ~3 s of register() (see email_otp).
            from . import email_otp

            email_otp.patch()
        app = wrap(service, create_backend_app(service))
        return request_log.wrap(
            app,
            os.environ.get(request_log.LOG_ENV),
            os.environ.get(request_log.AUTHORIZER_ENV),
        )

    server.create_backend_app = create_app  # what server.main hands its dispatcher
    server.main(argv)


if __name__ == "__main__":
    main()
