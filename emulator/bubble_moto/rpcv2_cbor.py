"""Smithy RPC v2 CBOR for moto 5.2.5 (a WSGI middleware, installed by the launcher).

Since aws-sdk-cloudwatch 1.100 the AWS SDK for Rust speaks only the Smithy RPC v2 CBOR
protocol to CloudWatch (``POST /service/GraniteServiceVersion20100801/operation/<Op>``,
``smithy-protocol: rpc-v2-cbor``, CBOR bodies). moto serves CloudWatch's Query and
JSON 1.0 protocols only and answered those requests with a 404 (getmoto/moto#9195).

CloudWatch's model lists both protocols for the same operations and shapes, so each such
request is translated: the CBOR body is decoded with the operation's input shape and
re-encoded as the JSON 1.0 request (``X-Amz-Target``) moto serves; moto's JSON answer is
decoded with the output shape and re-encoded as CBOR (timestamps as CBOR tag 1, blobs
as byte strings, as the protocol wants). Errors keep their status and become the CBOR
``{"__type", "message"}`` map, with moto's ``x-amzn-query-error`` header passed on.
Both directions use botocore's own codecs, driven by botocore's service model.
"""

from __future__ import annotations

import io
import json
from typing import Any, Callable, Iterable

from botocore.parsers import JSONParser, RpcV2CBORParser
from botocore.serialize import JSONSerializer, RpcV2CBORSerializer
from botocore.session import get_session

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

# Response headers of moto's answer that mean the same in the CBOR answer.
PASSED_HEADERS = ("x-amzn-requestid", "x-amzn-query-error")


def is_rpcv2_cbor(environ: Environ) -> bool:
    return environ.get("HTTP_SMITHY_PROTOCOL", "").lower() == "rpc-v2-cbor"


def operation_name(path: str) -> str | None:
    """``/service/<Service>/operation/<Operation>`` → ``<Operation>``."""
    parts = path.strip("/").split("/")
    if len(parts) == 4 and parts[0] == "service" and parts[2] == "operation":
        return parts[3]
    return None


def encode_text_map(values: dict[str, str]) -> bytes:
    """A CBOR map of strings (an error body has no shape to encode it with)."""
    cbor = RpcV2CBORSerializer()
    out = bytearray()
    info, size = cbor._get_additional_info_and_num_bytes(len(values))
    out.extend(cbor._get_initial_byte(cbor.MAP_MAJOR_TYPE, info))
    if size:
        out.extend(len(values).to_bytes(size, "big"))
    for key, value in values.items():
        cbor._serialize_type_string(out, key, None, None)
        cbor._serialize_type_string(out, value, None, None)
    return bytes(out)


class RpcV2CborToJson:
    """Serves one service's RPC v2 CBOR requests through its JSON 1.0 handler."""

    def __init__(self, app: WsgiApp, service: str) -> None:
        self.app = app
        self.model = get_session().get_service_model(service)
        if "json" not in self.model.metadata.get("protocols", []):
            raise ValueError(f"{service}: the model offers no JSON protocol to translate to")

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if not is_rpcv2_cbor(environ):
            return self.app(environ, start_response)
        name = operation_name(environ.get("PATH_INFO", ""))
        if name is None or name not in self.model.operation_names:
            return self.error(start_response, 404, "UnknownOperationException", repr(name))
        operation = self.model.operation_model(name)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        params = self.decode_request(body, operation)
        request = JSONSerializer().serialize_to_request(params, operation)
        inner = dict(environ)
        inner.pop("HTTP_SMITHY_PROTOCOL", None)
        inner.update(
            PATH_INFO="/",
            CONTENT_TYPE=request["headers"]["Content-Type"],
            CONTENT_LENGTH=str(len(request["body"])),
            HTTP_X_AMZ_TARGET=request["headers"]["X-Amz-Target"],
            HTTP_ACCEPT="application/json",
        )
        inner["wsgi.input"] = io.BytesIO(request["body"])
        status, headers, answer = self.call(inner)
        passed = [(k, v) for k, v in headers if k.lower() in PASSED_HEADERS]
        code = int(status.split()[0])
        if code >= 300:
            error = json.loads(answer or b"{}")
            message = error.get("message", error.get("Message", ""))
            return self.error(start_response, code, error.get("__type", ""), message, passed)
        output = self.encode_response(answer, headers, operation)
        return self.respond(start_response, status, output, passed)

    @staticmethod
    def decode_request(body: bytes, operation: Any) -> dict[str, Any]:
        if not body or operation.input_shape is None:
            return {}
        response = {"body": body, "headers": {}, "status_code": 200}
        params = RpcV2CBORParser().parse(response, operation.input_shape)
        params.pop("ResponseMetadata", None)
        return params

    @staticmethod
    def encode_response(answer: bytes, headers: list[tuple[str, str]], operation: Any) -> bytes:
        if operation.output_shape is None:
            return b""
        response = {"body": answer, "headers": dict(headers), "status_code": 200}
        parsed = JSONParser().parse(response, operation.output_shape)
        parsed.pop("ResponseMetadata", None)
        out = bytearray()
        RpcV2CBORSerializer()._serialize_data_item(out, parsed, operation.output_shape)
        return bytes(out)

    def call(self, environ: Environ) -> tuple[str, list[tuple[str, str]], bytes]:
        captured: dict[str, Any] = {}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured.update(status=status, headers=headers)

        chunks = self.app(environ, start)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        return captured["status"], captured["headers"], body

    @staticmethod
    def respond(
        start_response: StartResponse,
        status: str,
        body: bytes,
        extra: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        headers = [
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("Content-Length", str(len(body))),
            *(extra or []),
        ]
        start_response(status, headers)
        return [body]

    def error(
        self,
        start_response: StartResponse,
        code: int,
        kind: str,
        message: str,
        extra: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        body = encode_text_map({"__type": kind, "message": message})
        reason = "Not Found" if code == 404 else "Error"
        return self.respond(start_response, f"{code} {reason}", body, extra)


# moto backends whose AWS SDK for Rust clients speak only RPC v2 CBOR.
CBOR_SERVICES = ("cloudwatch",)


def wrap(service: str, app: WsgiApp) -> WsgiApp:
    """The launcher's hook: moto's app for ``service``, CBOR-capable where needed."""
    return RpcV2CborToJson(app, service) if service in CBOR_SERVICES else app
