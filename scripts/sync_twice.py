#!/usr/bin/env python3
"""What a second `gigdash sync` costs, against `gigdash sandbox --scale SCALE` (release build).

Runs `gigdash sync` (complete, into a new store), then marks one pending payment paid and
cancels one valid invoice through the API, then runs `gigdash sync` again; prints the
requests each run made (the sandbox's own count, /_sandbox/stats), the share of the second,
the wall time of both, and whether the store holds both changes (read back with
`gigdash export --offline`). The client's rate limit is lifted (a profile at 1000/s) so the
requests, not the limiter, are measured.
Usage: scripts/sync_twice.py [SCALE]        (default 100000: 9 teams)
"""
import csv, io, json, os, subprocess, sys, tempfile, time, urllib.request

import sandbox_run

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIN = os.environ.get("GIGDASH_BIN", os.path.join(ROOT, "target", "release", "gigdash"))
SCALE = sys.argv[1] if len(sys.argv) > 1 else "100000"
PORT = os.environ.get("PORT", "18790")

sb, url, key, _ = sandbox_run.start(BIN, ["--port", PORT, "--scale", SCALE])
origin = url[: -len("/v2")]

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {key}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)

def served():
    with urllib.request.urlopen(origin + "/_sandbox/stats", timeout=60) as r:
        return json.load(r)["data"]["requests"]

work = tempfile.mkdtemp()
os.makedirs(os.path.join(work, "config", "gigdash"))
with open(os.path.join(work, "config", "gigdash", "config.toml"), "w") as f:
    f.write('[profiles.default]\nrequests_per_second = 1000.0\nburst = 1000\n')
env = dict(os.environ, GIGSTACK_API_BASE_URL=url, GIGSTACK_API_KEY=key, XDG_STATE_HOME=work,
           XDG_CONFIG_HOME=os.path.join(work, "config"), XDG_CACHE_HOME=os.path.join(work, "cache"),
           LANG="C.UTF-8", GIGDASH_LOG=os.environ.get("GIGDASH_LOG", "info"))
for var in ("LC_ALL", "LC_MESSAGES", "GIGDASH_LANG", "GIGDASH_CONFIG"):
    env.pop(var, None)

def sync():
    before = served()
    start = time.perf_counter()
    out = subprocess.run([BIN, "sync"], env=env, capture_output=True, text=True)
    secs = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"sync failed: {out.stdout}\n{out.stderr}")
    return served() - before, secs, out.stdout

first, first_secs, _ = sync()
teams = call("GET", "/teams?limit=100")["data"]
# One pending payment paid and one valid invoice cancelled, in the first teams that have one.
paid = cancelled = None
for t in teams:
    tid = t["id"]
    if paid is None:
        p = call("GET", f"/payments?status=pending&limit=100&team={tid}")["data"]
        if p:
            paid = (tid, p[-1]["id"])
            call("POST", f"/payments/{paid[1]}/paid?team={tid}", {"payment_form": "03"})
    if cancelled is None:
        i = call("GET", f"/invoices/income?status=valid&limit=100&team={tid}")["data"]
        small = [x for x in i if float(x.get("total", 0)) < 1000]
        if small:
            cancelled = (tid, small[-1]["uuid"])
            call("DELETE", f"/invoices/{cancelled[1]}?team={tid}", {"motive": "02"})
    if paid and cancelled:
        break
second, second_secs, out = sync()
print(f"sandbox --scale {SCALE}: {len(teams)} teams")
print(f"first sync (complete): {first} requests, {first_secs:.1f} s")
print(f"second sync: {second} requests, {second_secs:.1f} s = {100 * second / first:.1f} % of the first")

def stored(what, team, id_col, ident, status_col="status"):
    out = subprocess.run([BIN, "--offline", "export", what, "--team", team, "--format", "csv"],
                         env=env, capture_output=True, text=True)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    for r in rows:
        if ident in r.values():
            return r.get(status_col)
    return f"not found among {len(rows)} rows"

if paid:
    print(f"payment {paid[1]} paid on the server; the store says: {stored('payments', paid[0], 'ID', paid[1])}")
if cancelled:
    print(f"invoice {cancelled[1]} cancelled on the server; the store says: {stored('invoices', cancelled[0], 'UUID', cancelled[1])}")
print(f"files in {work}")
sb.kill()
