"""Fixtures: a private ``python -m bubble_moto`` on a free 127.0.0.1 port, boto3
clients for it, and helpers that deploy a template through CreateStack or through a
change set (the path our deploy engine takes)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import boto3
import pytest

EMULATOR_DIR = Path(__file__).resolve().parents[1]
REPO = EMULATOR_DIR.parent
sys.path.insert(0, str(EMULATOR_DIR))  # tests that import bubble_moto itself
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account

# boto3 must never look for real credentials or instance metadata.
os.environ.update(
    AWS_ACCESS_KEY_ID="test",
    AWS_SECRET_ACCESS_KEY="test",
    AWS_DEFAULT_REGION=REGION,
    AWS_EC2_METADATA_DISABLED="true",
)
os.environ.pop("AWS_PROFILE", None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    """One running launcher process."""

    def __init__(self, extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(EMULATOR_DIR), **(extra_env or {})}
        # A file, not a pipe: the server logs every request to stderr, and a pipe nobody
        # reads fills up (64 KiB) and blocks the server mid-session.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bubble_moto", "-H", "127.0.0.1", "-p", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=2).read()
                break
            except OSError:
                if self.process.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError(
                        "bubble_moto exited: " + self.log.read().decode()[-2000:]
                    )
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("bubble_moto did not answer within 60 s")
                time.sleep(0.1)
        # Lambda without Docker, as the Rust harness configures it.
        self.post("/moto-api/config", {"lambda": {"use_docker": False}})

    def post(self, path: str, body: dict[str, Any]) -> bytes:
        request = urllib.request.Request(
            self.endpoint + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        return urllib.request.urlopen(request, timeout=10).read()

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    server = Emulator()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def aws(emulator: Emulator) -> Callable[[str], Any]:
    clients: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in clients:
            clients[service] = emulator.client(service)
        return clients[service]

    return client


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _parameters(parameters: dict[str, str] | None) -> list[dict[str, str]]:
    return [{"ParameterKey": k, "ParameterValue": v} for k, v in (parameters or {}).items()]


def deploy(
    cfn: Any,
    name: str,
    template: dict[str, Any] | str,
    parameters: dict[str, str] | None = None,
    via: str = "stack",
) -> dict[str, Any]:
    """Creates or updates stack ``name``; returns DescribeStacks' entry.
    ``via="stack"``: CreateStack/UpdateStack. ``via="changeset"``: CreateChangeSet
    (CREATE, or UPDATE when the stack exists) + ExecuteChangeSet."""
    body = template if isinstance(template, str) else json.dumps(template)
    exists = any(
        s["StackName"] == name and s["StackStatus"] != "DELETE_COMPLETE"
        for s in cfn.list_stacks()["StackSummaries"]
    )
    if via == "stack":
        call = cfn.update_stack if exists else cfn.create_stack
        call(StackName=name, TemplateBody=body, Parameters=_parameters(parameters),
             Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])
    else:
        change_set = cfn.create_change_set(
            StackName=name,
            ChangeSetName=unique("cs"),
            ChangeSetType="UPDATE" if exists else "CREATE",
            TemplateBody=body,
            Parameters=_parameters(parameters),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
        )
        cfn.execute_change_set(ChangeSetName=change_set["Id"], StackName=name)
    return cfn.describe_stacks(StackName=name)["Stacks"][0]


def outputs(stack: dict[str, Any]) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []}


def physical_ids(cfn: Any, name: str) -> dict[str, str]:
    summaries = cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r.get("PhysicalResourceId") or "" for r in summaries}


def template(resources: dict[str, Any], outputs_: dict[str, Any] | None = None,
             parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    if outputs_:
        body["Outputs"] = {k: {"Value": v} for k, v in outputs_.items()}
    if parameters:
        body["Parameters"] = parameters
    return body


# Both deployment paths, for tests parametrized over them.
VIAS = pytest.mark.parametrize("via", ["stack", "changeset"])
