"""``derm3r serve`` figures: API consult p50 against the Python API on the same cases, and concurrent visits.

Run: ``.venv/bin/python benchmarks/serve_bench.py [--rounds 3] [--clients 20] [--per-client 10]``.
Targets (issue 17): API consult p50 ≤ 1.2 × the Python API's p50 on the same cases; 20 concurrent clients ×
10 consults (visits written to the record) with no error and no lost record.

The server is a real ``derm3r serve`` subprocess on 127.0.0.1 (its own process, like a deployment), reading the
same vector index as the in-process Python API; both are warmed before timing, and the two are timed in
alternation on each case so that machine load falls on both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
CASES = sorted((REPO / "examples" / "cases").glob("*.json"))


def text_cases() -> list[dict[str, Any]]:
    """The example cases without their images (a JSON body carries text only)."""
    cases = []
    for path in CASES:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("images", None)
        cases.append(data)
    return cases


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(data_dir: Path, index_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "derm3r.cli.main", "serve", "--port", str(port), "--data-dir", str(data_dir),
         "--index-path", str(index_path), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("derm3r serve did not start")


def latency(
    system: Any, client: httpx.Client, cases: list[dict[str, Any]], rounds: int
) -> tuple[list[float], list[float]]:
    python_ms, api_ms = [], []
    for _ in range(rounds):
        for case in cases:
            started = time.perf_counter()
            system.consult(case)
            python_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.post("/api/consult", json=case)
            api_ms.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return python_ms, api_ms


def concurrent_visits(url: str, cases: list[dict[str, Any]], clients: int, per_client: int) -> dict[str, Any]:
    """``clients`` threads, each with its own connection, adding ``per_client`` visits; 5 clients share a patient."""
    with httpx.Client(base_url=url, timeout=600) as setup:
        patients = [setup.post("/api/patients", json={"name": f"bench-{i}"}).json()["id"]
                    for i in range(max(1, clients // 5))]
    errors: list[str] = []
    done = [0]
    lock = threading.Lock()

    def work(worker: int) -> None:
        patient = patients[worker % len(patients)]
        with httpx.Client(base_url=url, timeout=600) as client:
            for step in range(per_client):
                case = {**cases[(worker + step) % len(cases)], "case_id": f"c{worker}-{step}"}
                try:
                    response = client.post(f"/api/patients/{patient}/visits", json={"case": case})
                    if response.status_code != 201:
                        errors.append(f"{response.status_code} {response.text[:200]}")
                        continue
                    with lock:
                        done[0] += 1
                except httpx.HTTPError as error:
                    errors.append(repr(error))

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    stored: dict[str, str] = {}
    contiguous = True
    with httpx.Client(base_url=url, timeout=600) as check:
        for patient in patients:
            visits = check.get(f"/api/patients/{patient}").json()["visits"]
            contiguous &= [visit["number"] for visit in visits] == list(range(1, len(visits) + 1))
            stored.update({visit["case"]["case_id"]: str(patient) for visit in visits})
    expected = {f"c{w}-{s}" for w in range(clients) for s in range(per_client)}
    return {"seconds": seconds, "ok": done[0], "errors": errors, "lost": sorted(expected - set(stored)),
            "contiguous": contiguous, "patients": len(patients)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the example cases")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--per-client", type=int, default=10, help="consults (visits) per client")
    args = parser.parse_args()

    from derm3r import Derm3R

    work = Path(tempfile.mkdtemp(prefix="derm3r-serve-bench-"))
    index_path = work / "index"
    system = Derm3R(index_path=index_path)
    cases = text_cases()
    for case in cases:  # warm: build the index, load the embedder, fill caches
        system.consult(case)
    process, url = start_server(work / "data", index_path)
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            for case in cases:
                client.post("/api/consult", json=case).raise_for_status()
            python_ms, api_ms = latency(system, client, cases, args.rounds)
        python_p50, api_p50 = statistics.median(python_ms), statistics.median(api_ms)
        ratio = api_p50 / python_p50
        print(f"cases {len(cases)} × rounds {args.rounds}")
        print(f"python API consult p50 {python_p50:.1f} ms   REST API consult p50 {api_p50:.1f} ms   "
              f"ratio {ratio:.2f}× (target ≤ 1.20×) {'OK' if ratio <= 1.2 else 'MISSED'}")
        result = concurrent_visits(url, cases, args.clients, args.per_client)
        total = args.clients * args.per_client
        verdict = "OK" if not result["errors"] and not result["lost"] and result["contiguous"] else "FAILED"
        print(f"{args.clients} concurrent clients × {args.per_client} visits over {result['patients']} patients: "
              f"{result['ok']}/{total} stored in {result['seconds']:.1f} s ({total / result['seconds']:.1f}/s), "
              f"{len(result['errors'])} errors, {len(result['lost'])} lost, visit numbers contiguous: "
              f"{result['contiguous']} — {verdict}")
        for error in result["errors"][:5]:
            print(f"  error: {error}")
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
