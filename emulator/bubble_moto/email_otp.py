"""Passwordless sign-in with an emailed one-time code (Cognito's ``USER_AUTH`` flow with
``PREFERRED_CHALLENGE=EMAIL_OTP``), which moto 5.2.5 rejects ("Initiate Auth method not
supported"). Applied by ``register()`` and by the launcher before the first Cognito
request.

Only when the emulator has somewhere to deliver mail, ``$BUBBLE_MOTO_MAIL_DIR`` (``infra
dev`` sets it): without it the calls go to moto unchanged (USER_AUTH is rejected, which
the app's tests rely on to check its 502 for a failing Cognito).

- ``InitiateAuth`` (and ``AdminInitiateAuth``) with ``AuthFlow=USER_AUTH`` and
  ``PREFERRED_CHALLENGE=EMAIL_OTP``, for an existing user of the client's pool: answers
  ``ChallengeName=EMAIL_OTP`` with a new ``Session`` and "sends" an 8-digit code, i.e.
  writes it to ``$BUBBLE_MOTO_MAIL_DIR/<email>`` (the mail sink a developer reads; the
  user's ``email`` attribute, else the username). Unknown user:
  ``UserNotFoundException``; another preferred challenge: ``InvalidParameterException``.
- ``RespondToAuthChallenge`` with ``ChallengeName=EMAIL_OTP``: the right code within
  3 minutes gives the same tokens moto issues for a password sign-in (RS256, moto's
  JWKS); a wrong code is ``CodeMismatchException`` and the third wrong code ends the
  session; an unknown, used or expired session, another user or another client is
  ``NotAuthorizedException``. A session is single use, as in Cognito.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moto.cognitoidp.exceptions import (
    CodeMismatchException,
    InvalidParameterException,
    NotAuthorizedError,
)
from moto.cognitoidp.models import CognitoIdpBackend

MAIL_DIR_ENV = "BUBBLE_MOTO_MAIL_DIR"
CODE_VALIDITY_S = 180
MAX_ATTEMPTS = 3


@dataclass
class OtpSession:
    pool_id: str
    client_id: str
    username: str
    code: str
    expires: float
    attempts_left: int = MAX_ATTEMPTS


# Session id -> pending code; shared by every backend (sessions are global ids).
_sessions: dict[str, OtpSession] = {}
_patched = False


def _mail_dir() -> str | None:
    return os.environ.get(MAIL_DIR_ENV) or None


def _deliver(username: str, code: str) -> None:
    path = Path(_mail_dir() or ".")
    path.mkdir(parents=True, exist_ok=True)
    # The username is an email chosen by the caller: keep it one path component.
    safe = username.replace("/", "_").replace("\\", "_")
    if safe in ("", ".", ".."):
        return
    (path / safe).write_text(code + "\n")


def _start(
    backend: CognitoIdpBackend, client_id: str, params: dict[str, str]
) -> dict[str, Any]:
    challenge = params.get("PREFERRED_CHALLENGE")
    if challenge != "EMAIL_OTP":
        raise InvalidParameterException(
            f"the emulator supports USER_AUTH only with PREFERRED_CHALLENGE=EMAIL_OTP, not {challenge!r}"
        )
    pool = next((p for p in backend.user_pools.values() if client_id in p.clients), None)
    if pool is None:
        raise NotAuthorizedError(f"unknown client {client_id}")
    username = params.get("USERNAME") or ""
    user = backend.admin_get_user(pool.id, username)  # UserNotFoundException if missing
    code = f"{secrets.randbelow(10**8):08d}"
    session = str(uuid.uuid4())
    _sessions[session] = OtpSession(
        pool_id=pool.id,
        client_id=client_id,
        username=user.username,
        code=code,
        expires=time.time() + CODE_VALIDITY_S,
    )
    email = next((a["Value"] for a in user.attributes if a["Name"] == "email"), username)
    _deliver(email, code)
    return {
        "ChallengeName": "EMAIL_OTP",
        "Session": session,
        "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
            "CODE_DELIVERY_DESTINATION": email[:1] + "***",
        },
        "AvailableChallenges": ["EMAIL_OTP"],
    }


def _finish(
    backend: CognitoIdpBackend,
    session: str,
    client_id: str,
    responses: dict[str, str],
) -> dict[str, Any]:
    pending = _sessions.get(session)
    if pending is None or pending.client_id != client_id or time.time() > pending.expires:
        _sessions.pop(session, None)
        raise NotAuthorizedError("Invalid session for the user.")
    pool = backend.user_pools.get(pending.pool_id)
    user = None
    if pool is not None:
        try:
            user = backend.admin_get_user(pool.id, responses.get("USERNAME") or "")
        except Exception:  # noqa: BLE001 - any lookup failure is a wrong user here
            user = None
    if pool is None or user is None or user.username != pending.username:
        raise NotAuthorizedError("Invalid session for the user.")
    if not secrets.compare_digest(responses.get("EMAIL_OTP_CODE") or "", pending.code):
        pending.attempts_left -= 1
        if pending.attempts_left <= 0:
            del _sessions[session]
            raise NotAuthorizedError("Invalid session for the user.")
        raise CodeMismatchException("Invalid code received for user")
    del _sessions[session]
    return backend._log_user_in(pool, pool.clients[client_id], pending.username)


def patch() -> None:
    """Wraps the backend's auth calls; idempotent."""
    global _patched
    if _patched:
        return
    initiate = CognitoIdpBackend.initiate_auth
    admin_initiate = CognitoIdpBackend.admin_initiate_auth
    respond = CognitoIdpBackend.respond_to_auth_challenge

    def initiate_auth(self, client_id, auth_flow, auth_parameters):  # type: ignore[no-untyped-def]
        if auth_flow == "USER_AUTH" and _mail_dir():
            return _start(self, client_id, auth_parameters or {})
        return initiate(self, client_id, auth_flow, auth_parameters)

    def admin_initiate_auth(self, user_pool_id, client_id, auth_flow, auth_parameters):  # type: ignore[no-untyped-def]
        if auth_flow == "USER_AUTH" and _mail_dir():
            return _start(self, client_id, auth_parameters or {})
        return admin_initiate(self, user_pool_id, client_id, auth_flow, auth_parameters)

    def respond_to_auth_challenge(self, session, client_id, challenge_name, challenge_responses):  # type: ignore[no-untyped-def]
        if challenge_name == "EMAIL_OTP" and _mail_dir():
            return _finish(self, session, client_id, challenge_responses or {})
        return respond(self, session, client_id, challenge_name, challenge_responses)

    CognitoIdpBackend.initiate_auth = initiate_auth  # type: ignore[method-assign]
    CognitoIdpBackend.admin_initiate_auth = admin_initiate_auth  # type: ignore[method-assign]
    CognitoIdpBackend.respond_to_auth_challenge = respond_to_auth_challenge  # type: ignore[method-assign]
    _patched = True
