"""The launcher: moto_server's behaviour, loopback only."""

import json
import subprocess
import sys
import urllib.request

import bubble_moto
from bubble_moto.__main__ import is_loopback
from conftest import EMULATOR_DIR


def test_refuses_non_loopback_hosts():
    for host in ("0.0.0.0", "192.168.1.10", "example.com", "::"):
        result = subprocess.run(
            [sys.executable, "-m", "bubble_moto", "-H", host, "-p", "1"],
            env={"PYTHONPATH": str(EMULATOR_DIR)}, capture_output=True, text=True, timeout=30,
        )
        assert result.returncode != 0 and "refusing" in result.stderr, host
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))


def test_moto_api_answers(emulator):
    assert urllib.request.urlopen(f"{emulator.endpoint}/moto-api/", timeout=5).status == 200
    # The Lambda switch the harness sends (the fixture sent it; again is fine).
    emulator.post("/moto-api/config", {"lambda": {"use_docker": False}})
    config = json.loads(urllib.request.urlopen(f"{emulator.endpoint}/moto-api/config").read())
    assert config["lambda"]["use_docker"] is False


def test_registers_every_added_type():
    from moto.cloudformation.parsing import get_model_map

    added = bubble_moto.added_types()  # registers first
    models = get_model_map()
    for cfn_type in added:
        assert models[cfn_type].__module__.startswith("bubble_moto."), cfn_type
    assert len(added) >= 25
