"""Passwordless sign-in (USER_AUTH + EMAIL_OTP) with codes written to a mail sink."""

import base64
import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from bubble_moto import email_otp

EMAIL = "me@example.com"


@pytest.fixture
def pool(tmp_path, monkeypatch):
    monkeypatch.setenv(email_otp.MAIL_DIR_ENV, str(tmp_path))
    email_otp.patch()
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = idp.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
            "UserPoolClient"
        ]["ClientId"]
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=EMAIL,
            UserAttributes=[{"Name": "email", "Value": EMAIL}],
            MessageAction="SUPPRESS",
        )
        yield idp, pool_id, client_id, tmp_path


def start(idp, client_id, email=EMAIL):
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": email, "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )


def answer(idp, client_id, session, code, email=EMAIL):
    return idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=session,
        ChallengeResponses={"USERNAME": email, "EMAIL_OTP_CODE": code},
    )


def error_code(call) -> str:
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]["Code"]


def test_the_code_in_the_mail_sink_signs_in_once(pool):
    idp, pool_id, client_id, mail = pool
    started = start(idp, client_id)
    assert started["ChallengeName"] == "EMAIL_OTP"
    code = (mail / EMAIL).read_text().strip()
    assert len(code) == 8 and code.isdigit()
    tokens = answer(idp, client_id, started["Session"], code)["AuthenticationResult"]
    payload = tokens["AccessToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["client_id"] == client_id
    assert claims["iss"].endswith("/" + pool_id)
    # Single use: the same session again is refused.
    assert error_code(lambda: answer(idp, client_id, started["Session"], code)) == (
        "NotAuthorizedException"
    )


def test_wrong_codes_end_the_session_after_three_attempts(pool):
    idp, _, client_id, mail = pool
    session = start(idp, client_id)["Session"]
    right = (mail / EMAIL).read_text().strip()
    wrong = "00000000" if right != "00000000" else "11111111"
    assert error_code(lambda: answer(idp, client_id, session, wrong)) == "CodeMismatchException"
    assert error_code(lambda: answer(idp, client_id, session, wrong)) == "CodeMismatchException"
    assert error_code(lambda: answer(idp, client_id, session, wrong)) == "NotAuthorizedException"
    assert error_code(lambda: answer(idp, client_id, session, right)) == "NotAuthorizedException"


def test_unknown_users_other_clients_and_challenges_are_refused(pool):
    idp, pool_id, client_id, _ = pool
    assert error_code(lambda: start(idp, client_id, "nobody@example.com")) == (
        "UserNotFoundException"
    )
    other = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="other")[
        "UserPoolClient"
    ]["ClientId"]
    session = start(idp, client_id)["Session"]
    assert error_code(lambda: answer(idp, other, session, "12345678")) == (
        "NotAuthorizedException"
    )
    assert error_code(
        lambda: idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": EMAIL, "PREFERRED_CHALLENGE": "PASSWORD"},
        )
    ) == "InvalidParameterException"
    # Password sign-in still goes to moto.
    assert error_code(
        lambda: idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": EMAIL, "PASSWORD": "x"},
        )
    ) == "NotAuthorizedException"


def test_without_a_mail_sink_moto_answers_as_before(pool, monkeypatch):
    idp, _, client_id, _ = pool
    monkeypatch.delenv(email_otp.MAIL_DIR_ENV)
    assert error_code(lambda: start(idp, client_id)) == "InvalidParameterException"
