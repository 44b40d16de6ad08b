#!/usr/bin/env python3
"""Opening the biggest team of a big sandbox in the release dashboard, with a store.

Starts `gigdash sandbox --teams TEAMS --scale SCALE`, finds the team with the most income
invoices (the API's `total_results`), then times `gigdash --team <it>` in a pty, on its
Invoices tab (`3` once the team's view is shown: `--team` starts on that team, so no Group
load shares the rate limit), from exec to the frame whose table title counts every invoice
("of 170,803"), with a new store (XDG_CACHE_HOME) so every row is fetched and kept.
Prints the seconds and the peak RSS of the dashboard. The screen is read as a terminal
shows it (pyte: `pip install pyte`), since a frame only writes the cells that changed.
Usage: [RPS=20] [R=1] scripts/open_biggest.py [SCALE] [TEAMS]      (defaults 1000000 and 200)
"""
import fcntl, json, os, pty, re, select, signal, struct, subprocess, sys, tempfile, termios, time
import urllib.parse
import urllib.request

import pyte

import sandbox_run

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIN = os.environ.get("GIGDASH_BIN", os.path.join(ROOT, "target", "release", "gigdash"))
# The dashboard only (a wrapper such as `heaptrack -o … gigdash "$@"`); the sandbox stays BIN.
DASH = os.environ.get("GIGDASH_DASH", BIN)
SCALE = sys.argv[1] if len(sys.argv) > 1 else "1000000"
TEAMS = sys.argv[2] if len(sys.argv) > 2 else "200"
DEADLINE = float(os.environ.get("DEADLINE", "900"))

PORT = os.environ.get("PORT", "18765")
sb, url, key, took = sandbox_run.start(BIN, ["--port", PORT, "--teams", TEAMS, "--scale", SCALE])
print(f"sandbox ready in {took:.1f} s at {url}", flush=True)

def get(path):
    req = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)

teams = []
page = get("/teams?limit=100")
while True:
    teams += page["data"]
    if not page.get("has_more") or not page.get("next"):
        break
    page = get("/teams?limit=100&next=" + urllib.parse.quote(str(page["next"])))
best = (0, None, None)
for t in teams:
    n = get(f"/invoices/income?limit=1&team={t['id']}").get("total_results", 0)
    if n > best[0]:
        best = (n, t["id"], t.get("name") or t.get("legal_name"))
total, team, name = best
print(f"biggest of {len(teams)} teams: {name} ({team}), {total:,} invoices", flush=True)

env = dict(os.environ, TERM="xterm-256color", GIGSTACK_API_BASE_URL=url, GIGSTACK_API_KEY=key,
           XDG_CACHE_HOME=tempfile.mkdtemp(), XDG_STATE_HOME=tempfile.mkdtemp(),
           XDG_CONFIG_HOME=tempfile.mkdtemp(), LANG="C.UTF-8")
# RPS=20: a profile at that rate limit (gigstack's limit is not documented; the
# profile's default is 10 requests per second, burst 10).
if os.environ.get("RPS"):
    os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "gigdash"))
    with open(os.path.join(env["XDG_CONFIG_HOME"], "gigdash", "config.toml"), "w") as f:
        f.write(f'profile = "p"\n[profiles.p]\nkey_env = "GIGSTACK_API_KEY"\n'
                f'requests_per_second = {float(os.environ["RPS"])}\n'
                f'burst = {int(float(os.environ["RPS"]))}\n')
for var in ("LC_ALL", "LC_MESSAGES", "GIGDASH_LANG"):
    env.pop(var, None)
# Complete: the title counts every invoice and says no "loading".
complete = re.compile(rf"Invoices \d[\d,]* of {total:,}(?!.*loading)")
def served():
    with urllib.request.urlopen(url[: -len("/v2")] + "/_sandbox/stats", timeout=60) as r:
        return json.load(r)["data"]["requests"]

# What this script asked itself (the teams and their totals) is not the dashboard's.
before = served()
screen = pyte.Screen(120, 40)
stream = pyte.ByteStream(screen)
start = time.perf_counter()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.execve(DASH, [DASH, "--team", team], env)
sent = False
done = None
peak = 0.0
while done is None and time.perf_counter() - start < DEADLINE:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        stream.feed(chunk)
        shown = "\n".join(screen.display)
        # After the start settled: the team's own view (`--team` starts on it), or the
        # Group tab (the start of a key with many teams when no team is named).
        if not sent and ("Group:" in shown or (name and name[:20] in screen.display[0])):
            os.write(fd, b"3")
            sent = True
        if sent and any(complete.search(line) for line in screen.display):
            done = time.perf_counter() - start
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
    except OSError:
        pass
def settle(quiet=3.0, bound=600.0):
    # The count of requests the sandbox served, once it stopped moving for `quiet` s.
    last, since, t = served(), time.time(), time.time()
    while time.time() - t < bound:
        time.sleep(0.5)
        while select.select([fd], [], [], 0)[0]:
            try:
                stream.feed(os.read(fd, 65536))
            except OSError:
                break
        n = served()
        if n != last:
            last, since = n, time.time()
        elif time.time() - since >= quiet:
            return n
    sys.exit(f"the requests never settled within {bound:.0f} s")

# R=1: then `r` on the Invoices tab, counting the requests each costs (the sandbox's own
# count, once it stopped moving: the first load's includes the Overview's payments).
if done is not None and os.environ.get("R"):
    at = settle()
    first = at - before
    os.write(fd, b"r")
    again = settle() - at
    print(f"requests: opening the team {first} (with its payments); r on Invoices {again} "
          f"= {100 * again / max(first, 1):.1f} %")
# What it holds once every invoice is on screen and it settled (SETTLE s, 3; the peak includes
# the load's pages).
SETTLE = float(os.environ.get("SETTLE", "3"))
def wait(secs):
    until = time.time() + secs
    while time.time() < until:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                stream.feed(os.read(fd, 65536))
            except OSError:
                break
def rss():
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
wait(SETTLE)
rss_now = rss()
# Then the rest of the team (its payments for the Overview, its clients): once the dashboard
# asks nothing more, SETTLE s later, the RSS of the team open with all it holds.
rss_all = None
if done is not None and not os.environ.get("R"):
    settle()
    wait(SETTLE)
    rss_all = rss()
    with open(f"/proc/{pid}/status") as f:
        peak = max([peak] + [int(l.split()[1]) / 1024 for l in f if l.startswith("VmHWM:")])
if os.environ.get("SMAPS"):  # where the memory is, for a closer look
    try:
        with open(f"/proc/{pid}/smaps") as f, open(os.environ["SMAPS"], "w") as out:
            out.write(f.read())
    except OSError:
        pass
os.kill(pid, signal.SIGTERM)
os.waitpid(pid, 0)
sb.kill()
if done is None:
    print("\n".join(screen.display))
    sys.exit(f"never showed every invoice within {DEADLINE:.0f} s")
print(f"open {name} to every invoice on screen: {done:.1f} s; dashboard peak RSS {peak:.0f} MB, "
      f"{rss_now:.0f} MB {SETTLE:.0f} s after")
if rss_all is not None:
    print(f"everything the team loads (payments, clients, receipts) in: {rss_all:.0f} MB "
          f"{SETTLE:.0f} s after the last request")
