"""`make run` (scripts/run.sh) stopped by SIGINT (Ctrl-C, to the whole foreground group) or by
SIGTERM (a supervisor, to the script): both servers are gone within 10 seconds and nothing holds
the ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import pytest

from tests.e2e.conftest import PROJECT, base_env, find_free_port

pytestmark = pytest.mark.e2e
STOPPED_WITHIN = 10.0


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


@pytest.fixture
def started_run(tmp_path):
    port, action_port = find_free_port(), find_free_port()
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        ["bash", "scripts/run.sh"], cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT,
        env=base_env(HOST="127.0.0.1", PORT=str(port), ACTION_PORT=str(action_port)),
        start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while "Ctrl-C stops both servers" not in (tmp_path / "run.log").read_text():
            assert process.poll() is None, (tmp_path / "run.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "make run did not start in 4 minutes"
            time.sleep(0.5)
        yield process, port, action_port
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        log.close()


@pytest.mark.parametrize("how", ["SIGINT to the group", "SIGTERM to the script"])
def test_a_signal_stops_both_servers_and_frees_the_ports(started_run, how):
    process, port, action_port = started_run
    assert _listening(port) and _listening(action_port)
    if how.startswith("SIGINT"):
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOPPED_WITHIN
    while time.monotonic() < deadline and (
            process.poll() is None or _group_alive(process.pid) or _listening(port)
            or _listening(action_port)):
        time.sleep(0.2)
    assert process.poll() is not None, "the script is still running"
    assert not _group_alive(process.pid), "a server outlived the script"
    assert not _listening(port) and not _listening(action_port)
    for free in (port, action_port):  # nothing holds the ports: they can be bound again
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", free))
