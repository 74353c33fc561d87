#!/usr/bin/env python3
"""Prints the tables of a benchmark run (bench/run.sh): report.py [RESULTS.jsonl...]

Without an argument, the newest bench/results/run-*.jsonl; with several, their results together
(a later file's measurement of the same request, size and backend wins; the settings line is the
first file's). Markdown on standard output."""

import glob
import json
import os
import sys

BACKENDS = ["lipa-sqlite", "lipa-pg", "datasette", "raw SQL"]
REQUESTS = [
    ("list", "libraries list, 3 filters + facet counts (HTML page)"),
    ("api-list", "libraries list, 3 filters + facet counts (API)"),
    ("search", "search (HTML page)"),
    ("api-search", "search (API)"),
    ("service", "service card (HTML page)"),
    ("api-service", "service card (API)"),
    ("home", "home page"),
    ("district-report", "district report"),
    ("api-libraries", "API list page (libraries of a district)"),
    ("write", "write: PUT a service card (API)"),
]
# Which Datasette / raw SQL request a lipa request is compared with.
COUNTERPART = {
    "list": "list",
    "api-list": "list",
    "search": "search",
    "api-search": "search",
    "service": "service",
    "api-service": "service",
}


def size_label(n):
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def human_bytes(n):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def num(x, digits=2):
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def main():
    paths = sys.argv[1:]
    if not paths:
        runs = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "results", "run-*.jsonl")))
        if not runs:
            sys.exit("no results yet: run bench/run.sh")
        paths = runs[-1:]
    path = " + ".join(os.path.basename(p) for p in paths)
    rows = [json.loads(line) for p in paths for line in open(p) if line.strip()]
    first_meta = next((r for r in rows if r["kind"] == "meta"), None)
    rows = [r for r in rows if r["kind"] != "meta" or r is first_meta]
    # The last setup of a size and backend wins, like the last measurement.
    setups_by = {}
    for r in rows:
        if r["kind"] == "setup":
            setups_by[(r["size"], r["backend"])] = r
    rows = [r for r in rows if r["kind"] != "setup"] + list(setups_by.values())
    setups = [r for r in rows if r["kind"] == "setup"]
    reqs = {(r["request"], r["size"], r["backend"]): r for r in rows if r["kind"] == "request"}
    sizes = sorted({r["size"] for r in rows if "size" in r})

    meta = next((r for r in rows if r["kind"] == "meta"), {})
    params = {r["size"]: r for r in rows if r["kind"] == "params"}
    out = []
    out.append(f"# lipa benchmark ({path})\n")
    if meta:
        out.append(
            f"{meta['date']}, lipa {meta['commit']}, {meta['cpus']} CPUs ({meta['cpu']}); "
            f"wrk {meta['threads']} threads, {meta['connections']} connections, "
            f"{meta['seconds']} s a request, on 127.0.0.1 (wrk shares the CPUs with the server).\n"
        )
    for size in sizes:
        p = params.get(size)
        if p:
            out.append(
                f"- {size_label(size)}: list filter `district={p['district']}&category="
                f"{p['category']}&kind={p['settlement_kind']}`, search „{p['query']}“, service {p['service']}, "
                f"writes to {len(p['writes'])} services"
            )
    out.append("")
    out.append(
        "| size | backend | data | libraries | services | generation / import s | libraries/s "
        "| database size | server peak RSS |"
    )
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|")
    order = {b: i for i, b in enumerate(BACKENDS)}
    for s in sorted(setups, key=lambda r: (r["size"], order.get(r["backend"], 9))):
        secs = s.get("seconds")
        rate = s["libraries"] / secs if secs else None
        secs = f"{secs:.2f}" if secs is not None else "reused"
        out.append(
            f"| {size_label(s['size'])} | {s['backend']} | {s['data']} | {s['libraries']:,} "
            f"| {s['services']:,} | {secs} | {num(rate, 0)} "
            f"| {human_bytes(s['bytes'])} | {s['rss_kb'] / 1024:.0f} MiB |"
        )
    out.append("")
    out.append(
        "| request | size | backend | alone ms | p50 ms | p99 ms | req/s (2xx) | errors "
        "| p50 lipa ÷ Datasette |"
    )
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for req, label in REQUESTS:
        for size in sizes:
            for backend in BACKENDS:
                if backend in ("datasette", "raw SQL"):
                    if COUNTERPART.get(req) != req:
                        continue
                r = reqs.get((req, size, backend))
                if r is None:
                    continue
                ratio = "—"
                other = COUNTERPART.get(req)
                if backend.startswith("lipa") and other:
                    ds = reqs.get((other, size, "datasette"))
                    if ds and ds["p50_ms"] > 0 and r["p50_ms"] and r["requests"]:
                        ratio = f"{r['p50_ms'] / ds['p50_ms']:.2f}"
                if backend == "raw SQL":
                    # One client, no HTTP: the median and the slowest of the runs.
                    p99, rps, errors = f"{num(r['max_ms'])} (max)", "—", "—"
                else:
                    # Only the answers that succeeded count as served; the others are listed.
                    ok = r["requests"] - r["errors"]
                    rps = num(r["rps"] * ok / r["requests"] if r["requests"] else 0, 0)
                    errors = str(r["errors"])
                    bad = {k: v for k, v in r.get("statuses", {}).items() if not k.startswith("2")}
                    if bad:
                        errors += " (" + ", ".join(f"{v}× {k}" for k, v in sorted(bad.items())) + ")"
                    p99 = num(r["p99_ms"])
                    if r["requests"] == 0:
                        # Not one answer within the run (wrk's own timeout is 10 s).
                        limit = f"> {meta.get('seconds', '?')} s"
                        r = dict(r, p50_ms=None)
                        p99, rps, errors = limit, "0", "no answer"
                what = label if backend.startswith("lipa") else {
                    "list": "libraries, 3 filters + 8 facets",
                    "search": "search (FTS5)",
                    "service": "one service record",
                }[req]
                alone = "—" if backend == "raw SQL" else num(r.get("alone_ms"))
                out.append(
                    f"| {what} | {size_label(size)} | {backend} | {alone} "
                    f"| {num(r['p50_ms']) if r['p50_ms'] is not None else p99} | {p99} "
                    f"| {rps} | {errors} | {ratio} |"
                )
    out.append("")
    out.append(
        "alone: the request by itself before the load (curl, the first one: cold caches). "
        "p50/p99: latency percentiles under the load (wrk). Datasette answers JSON and computes "
        "its 8 facets the plain way (a facet keeps its own filter), lipa's list computes its 8 "
        "facets each without its own filter; Datasette's search is FTS5 (unicode61, no "
        "stemming), lipa's tantivy with Bulgarian stemming. raw SQL: one client on the file "
        "with Python's sqlite3, no HTTP — the median and the slowest of 9 runs after a warm-up "
        "(list: every statement of lipa's list on lipa's file; search: Datasette's statements "
        "on its file; service: one row by key on lipa's file). Ratio < 1: lipa is faster. "
        "A write refused with 412 met another write of the same record (If-Match: * still "
        "needs the version read at the start of the request)."
    )
    print("\n".join(out))


if __name__ == "__main__":
    main()
