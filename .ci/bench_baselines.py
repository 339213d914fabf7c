#!/usr/bin/env python3
"""Baselines for Werger's performance benchmark (issue #7), on the memory and queries that
`werger bench` wrote, in the same run:

* PostgreSQL pg_trgm similarity search (what Weblate's translation memory uses): a throw-away
  cluster started on loopback with Debian's PostgreSQL, the sentences COPYed in, a GIN trigram
  index, then `WHERE text % q ORDER BY similarity(text, q) DESC LIMIT 5` per query; stopped
  and deleted afterwards.
* translate-toolkit's matcher (translate.search.match.matcher, PyPI), with --ttk.

Writes {name: {"latencies_ms": [...], "top1": [...], "note": "..."}} to --out.
"""
import argparse
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"error: {name} not found: install Debian's postgresql (apt-get install postgresql)")
    return found[-1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(cmd):
    """initdb and the server refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


def pg_trgm(corpus, queries):
    import psycopg

    root = tempfile.mkdtemp(prefix="werger-pg-")
    data = os.path.join(root, "data")
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
    port = free_port()
    subprocess.run(as_postgres([pg_bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust",
                                "-E", "UTF8", "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c shared_buffers=512MB -c fsync=off -c synchronous_commit=off"
    subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", data, "-o", options, "-w", "-l",
                                os.path.join(root, "log"), "start"]), check=True, stdout=subprocess.DEVNULL)
    try:
        conn = psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True)
        cur = conn.cursor()
        cur.execute("CREATE EXTENSION pg_trgm")
        cur.execute("CREATE TABLE tu (id bigint PRIMARY KEY, text text NOT NULL)")
        started = time.perf_counter()
        with cur.copy("COPY tu (id, text) FROM STDIN") as copy:
            with open(corpus, encoding="utf-8") as f:
                for line in f:
                    tu_id, _, text = line.rstrip("\n").partition("\t")
                    copy.write_row((int(tu_id), text))
        cur.execute("CREATE INDEX tu_trgm ON tu USING gin (text gin_trgm_ops)")
        cur.execute("ANALYZE tu")
        build = time.perf_counter() - started
        cur.execute("SET pg_trgm.similarity_threshold = 0.3")
        latencies, top1 = [], []
        sql = "SELECT text, similarity(text, %s) AS s FROM tu WHERE text %% %s ORDER BY s DESC LIMIT 5"
        for q in queries[:3]:  # warm the caches as the other systems are warm
            cur.execute(sql, (q, q)).fetchall()
        for q in queries:
            t = time.perf_counter()
            rows = cur.execute(sql, (q, q)).fetchall()
            latencies.append((time.perf_counter() - t) * 1000)
            top1.append(rows[0][0] if rows else "")
        conn.close()
        return {"latencies_ms": latencies, "top1": top1,
                "note": f"PostgreSQL {pg_bin('postgres').split('/')[-3]}, GIN trigram index, threshold 0.3; load + index {build:.1f} s"}
    finally:
        subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


def ttk(corpus, queries):
    from translate.search import match
    from translate.storage import pypo

    # matcher.matches keeps a heap of (similarity, unit): two candidates with the same
    # similarity make heapq compare units, which raises TypeError (translate-toolkit 3.20.4).
    # Near-duplicates tie often, so give units an arbitrary but total order.
    from translate.storage import base

    base.TranslationUnit.__lt__ = lambda a, b: id(a) < id(b)
    store = pypo.pofile()
    started = time.perf_counter()
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            _, _, text = line.rstrip("\n").partition("\t")
            unit = store.addsourceunit(text)
            unit.target = text
    matcher = match.matcher(store, max_candidates=5, min_similarity=30, max_length=2000)
    build = time.perf_counter() - started
    latencies, top1 = [], []
    for q in queries:
        t = time.perf_counter()
        found = matcher.matches(q)
        latencies.append((time.perf_counter() - t) * 1000)
        top1.append(found[0].source if found else "")
    return {"latencies_ms": latencies, "top1": top1,
            "note": f"translate-toolkit matcher, min_similarity 30; build {build:.1f} s"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ttk", action="store_true")
    args = ap.parse_args()
    with open(args.queries, encoding="utf-8") as f:
        queries = [l.rstrip("\n") for l in f if l.strip()]
    results = {"pg_trgm": pg_trgm(args.corpus, queries)}
    if args.ttk:
        results["translate-toolkit"] = ttk(args.corpus, queries)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
