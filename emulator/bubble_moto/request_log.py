"""A request log for moto server (a WSGI middleware, installed by the launcher).

moto accepts any credentials and, with its IAM enforcement on, checks actions only
(the resource is ``*`` for every service but S3), so it cannot say whether a caller's
policies allow a call. This middleware records who asked for what, so that a real
policy evaluator outside the emulator can: for each signed request it appends one JSON
line to the file ``BUBBLE_MOTO_REQUEST_LOG`` names::

    {"time_ms": 1764535000123, "access_key": "ASIA...", "region": "us-east-1",
     "service": "dynamodb", "operation": "Query", "method": "POST", "path": "/",
     "presigned": false, "params": {"TableName": "t", "IndexName": "GSI1"}}

``access_key`` comes from the SigV4 ``Authorization`` header or, for a presigned URL,
from ``X-Amz-Credential`` in the query (so the PUT to a presigned URL is the signer's
call); ``service`` and ``region`` from the credential scope. S3's legacy SigV2
(``AWS key:signature``, ``AWSAccessKeyId=`` in a URL) is read too, with ``region``
``null``. ``operation`` is the
API's operation name: from ``X-Amz-Target`` (JSON protocols), ``Action`` (query
protocol), the Smithy RPC v2 path, or, for S3's REST API, the method and the path
(``PutObject``, ``GetObject``, ``ListObjectsV2``, ...); ``null`` when none of these
says. ``params`` holds the request parameters that name the resource: table and index
(DynamoDB), user pool (Cognito), bucket, key and prefix (S3), role (STS); nothing
else of the body is copied (items may hold personal data).

With ``BUBBLE_MOTO_AUTHORIZER`` set to a URL (on 127.0.0.1), each logged record is also
POSTed there as JSON before moto handles the request; an answer
``{"allow": false, "message": "..."}`` turns the request into the ``AccessDenied``
error AWS would return (S3 and query protocols: 403 XML; JSON protocols: 400
``AccessDeniedException``), so the caller sees a denial, not moto's success. No answer
(or any other) lets the request through.

Unsigned requests (moto's own ``/moto-api/``, Cognito's public sign-in operations
called without credentials) are not logged. Lines are written with one ``write`` on a
file opened for appending, so a reader tailing the file sees whole lines.
"""

from __future__ import annotations

import io
import ipaddress
import json
import re
import threading
import time
import urllib.request
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, unquote
from xml.sax.saxutils import escape

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

LOG_ENV = "BUBBLE_MOTO_REQUEST_LOG"
AUTHORIZER_ENV = "BUBBLE_MOTO_AUTHORIZER"

# Body parameters that name the resource of a call, per JSON/query-protocol service.
RESOURCE_PARAMS = ("TableName", "IndexName", "UserPoolId", "ClientId", "RoleArn")

# Bodies larger than this are not parsed for parameters (uploads, batch writes).
MAX_PARSED_BODY = 1 << 20

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")
_SCOPE = re.compile(r"^([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request$")


def credential(environ: Environ) -> dict[str, Any] | None:
    """Access key, region, service of a SigV4-signed request, and whether it is
    presigned (credential in the query string)."""
    match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    if match:
        key, _, region, service = match.groups()
        return {"access_key": key, "region": region, "service": service, "presigned": False}
    query = parse_qs(environ.get("QUERY_STRING", ""))
    scope = query.get("X-Amz-Credential", [""])[0]
    match = _SCOPE.match(scope)
    if match:
        key, _, region, service = match.groups()
        return {"access_key": key, "region": region, "service": service, "presigned": True}
    # S3's legacy SigV2 (boto3 still presigns with it by default): no region in it.
    if "AWSAccessKeyId" in query and "Signature" in query:
        return {"access_key": query["AWSAccessKeyId"][0], "region": None, "service": "s3",
                "presigned": True}
    header = environ.get("HTTP_AUTHORIZATION", "")
    if header.startswith("AWS ") and ":" in header:
        key = header[4:].split(":", 1)[0]
        return {"access_key": key, "region": None, "service": "s3", "presigned": False}
    return None


def _is_ip_or_localhost(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def s3_location(environ: Environ) -> tuple[str | None, str | None]:
    """Bucket and key of an S3 request, path-style or virtual-hosted
    (``bucket.localhost:PORT``)."""
    path = unquote(environ.get("PATH_INFO", ""))
    host = environ.get("HTTP_HOST", "").rsplit(":", 1)[0]
    if host and not _is_ip_or_localhost(host) and "." in host:
        bucket = host.split(".", 1)[0]
        key = path.lstrip("/") or None
        return bucket, key
    parts = path.lstrip("/").split("/", 1)
    bucket = parts[0] or None
    key = parts[1] if len(parts) > 1 and parts[1] else None
    return bucket, key


def s3_operation(method: str, bucket: str | None, key: str | None, query: dict) -> str | None:
    """The S3 API operation of a REST request (the common ones)."""
    if bucket is None:
        return "ListBuckets" if method == "GET" else None
    if key is not None:
        if "uploads" in query or "uploadId" in query:
            return {"POST": "CreateMultipartUpload" if "uploads" in query else "CompleteMultipartUpload",
                    "PUT": "UploadPart", "DELETE": "AbortMultipartUpload"}.get(method)
        if "tagging" in query:
            return {"GET": "GetObjectTagging", "PUT": "PutObjectTagging"}.get(method)
        return {"GET": "GetObject", "HEAD": "HeadObject", "PUT": "PutObject",
                "DELETE": "DeleteObject", "POST": None}.get(method)
    if method == "GET":
        if "list-type" in query:
            return "ListObjectsV2"
        for sub, op in (("policy", "GetBucketPolicy"), ("versioning", "GetBucketVersioning"),
                        ("location", "GetBucketLocation"), ("tagging", "GetBucketTagging")):
            if sub in query:
                return op
        return "ListObjects"
    if method == "POST" and "delete" in query:
        return "DeleteObjects"
    return {"HEAD": "HeadBucket", "PUT": "CreateBucket", "DELETE": "DeleteBucket"}.get(method)


def _read_body(environ: Environ) -> bytes:
    """Reads the body and puts an equal stream back for the wrapped app."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0 or length > MAX_PARSED_BODY:
        return b""
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def describe(environ: Environ) -> dict[str, Any] | None:
    """The log record of one request, or None when it is not signed."""
    who = credential(environ)
    if who is None:
        return None
    method = environ.get("REQUEST_METHOD", "GET")
    path = environ.get("PATH_INFO", "")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    params: dict[str, str] = {}
    operation = None
    if who["service"] == "s3":
        bucket, key = s3_location(environ)
        operation = s3_operation(method, bucket, key, query)
        for name, value in (("Bucket", bucket), ("Key", key), ("Prefix", query.get("prefix", [None])[0])):
            if value is not None:
                params[name] = value
    else:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        content_type = environ.get("CONTENT_TYPE", "")
        body = _read_body(environ) if method == "POST" else b""
        fields: dict[str, Any] = {}
        if target:
            operation = target.rsplit(".", 1)[-1]
            try:
                parsed = json.loads(body or b"{}")
                fields = parsed if isinstance(parsed, dict) else {}
            except ValueError:
                fields = {}
        elif "x-www-form-urlencoded" in content_type or "Action" in query:
            form = {**query, **parse_qs(body.decode("utf-8", "replace"))}
            fields = {k: v[0] for k, v in form.items() if v}
            operation = fields.get("Action")
        elif "/operation/" in path:  # Smithy RPC v2: /service/<Service>/operation/<Op>
            operation = path.rsplit("/operation/", 1)[1].strip("/") or None
        params = {k: fields[k] for k in RESOURCE_PARAMS if isinstance(fields.get(k), str)}
    return {
        "time_ms": int(time.time() * 1000),
        "access_key": who["access_key"],
        "region": who["region"],
        "service": who["service"],
        "operation": operation,
        "method": method,
        "path": path,
        "presigned": who["presigned"],
        "params": params,
    }


def access_denied(environ: Environ, service: str, message: str) -> tuple[str, list, bytes]:
    """Status, headers and body of the AccessDenied error of the request's protocol."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": "AccessDeniedException", "message": message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.0"),
                   ("x-amzn-ErrorType", "AccessDeniedException")]
        return "400 Bad Request", headers, body
    if service == "s3":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>"
                f"<Message>{escape(message)}</Message></Error>").encode()
    else:
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                f"<Message>{escape(message)}</Message></Error></ErrorResponse>").encode()
    return "403 Forbidden", [("Content-Type", "application/xml")], body


def ask(authorizer: str, record: dict[str, Any]) -> str | None:
    """The denial message the authorizer gives for ``record``, or None (allowed)."""
    from urllib.parse import urlsplit

    from .__main__ import is_loopback

    if not is_loopback(urlsplit(authorizer).hostname or ""):
        return None  # the emulator talks to this machine only
    request = urllib.request.Request(authorizer, data=json.dumps(record).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        answer = json.loads(urllib.request.urlopen(request, timeout=30).read() or b"{}")
    except (OSError, ValueError):
        return None
    if isinstance(answer, dict) and answer.get("allow") is False:
        return str(answer.get("message") or "denied")
    return None


class RequestLog:
    """Wraps a WSGI app; appends a record of each signed request to ``path`` and, with
    an ``authorizer`` URL, answers the requests it denies with AccessDenied."""

    def __init__(self, app: WsgiApp, path: str, authorizer: str | None = None) -> None:
        self.app = app
        self.path = path
        self.authorizer = authorizer
        self._lock = threading.Lock()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            record = describe(environ)
        except Exception as error:  # never break the request for the log's sake
            record = {"time_ms": int(time.time() * 1000), "error": f"not recorded: {error}"}
        if record is not None:
            line = json.dumps(record, sort_keys=True) + "\n"
            with self._lock, open(self.path, "a", encoding="utf-8") as log:
                log.write(line)
            if self.authorizer and "access_key" in record:
                denial = ask(self.authorizer, record)
                if denial is not None:
                    status, headers, body = access_denied(environ, record["service"], denial)
                    start_response(status, [*headers, ("Content-Length", str(len(body)))])
                    return [body]
        return self.app(environ, start_response)


def wrap(app: WsgiApp, path: str | None, authorizer: str | None = None) -> WsgiApp:
    """``app`` with a request log when ``path`` is set, else ``app`` itself."""
    return RequestLog(app, path, authorizer) if path else app
