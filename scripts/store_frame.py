#!/usr/bin/env python3
"""Launch to first frame with data from the store, and RSS, of the release binary in a pty.

The key, base URL and XDG_CACHE_HOME come from the environment (a store filled by
`gigdash sync` first). Runs gigdash N times and prints the median time from exec to the
first frame showing MARKER (default "loaded at": a Group row with its figures), then the
RSS after SETTLE seconds of the last run (optionally after pressing KEYS).
Usage: scripts/store_frame.py [N] [MARKER] [extra gigdash args...]
   env KEYS="\r4" SETTLE=5 to open a team's Payments tab before reading the RSS.
   env THEN="/Polanco\r\r3" MARKER2="Invoices 1 of" also times, in every run, those keys
   (sent once the first marker shows) to the frame showing MARKER2.
"""
import fcntl, os, pty, select, signal, statistics, struct, sys, tempfile, termios, time

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "gigdash")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 15
MARKER = (sys.argv[2] if len(sys.argv) > 2 else "loaded at").encode()
EXTRA = sys.argv[3:]

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def once(measure_rss=False):
    env = dict(os.environ, TERM="xterm-256color", XDG_STATE_HOME=tempfile.mkdtemp())
    env["LANG"] = "C.UTF-8"
    for var in ("LC_ALL", "LC_MESSAGES", "GIGDASH_LANG"):
        env.pop(var, None)
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execve(BIN, [BIN] + EXTRA, env)
    data = None
    buf = b""
    def pump(until):
        nonlocal buf
        while time.perf_counter() < until:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    buf += os.read(fd, 65536)
                except OSError:
                    return
    while data is None and time.perf_counter() - start < 30:
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
            if MARKER in buf:
                data = time.perf_counter() - start
    then = os.environ.get("THEN")
    second = None
    if then and data is not None:
        keys = then.encode().decode("unicode_escape")
        # Each key once the screen has settled from the one before (the filter is typed).
        for k in keys[:-1]:
            os.write(fd, k.encode())
            pump(time.perf_counter() + 0.05)
        buf = b""
        t0 = time.perf_counter()
        os.write(fd, keys[-1].encode())
        marker2 = os.environ.get("MARKER2", "Invoices 1 of").encode()
        while second is None and time.perf_counter() - t0 < 30:
            r, _, _ = select.select([fd], [], [], 0.01)
            if r:
                try:
                    buf += os.read(fd, 65536)
                except OSError:
                    break
                if marker2 in buf:
                    second = time.perf_counter() - t0
    rss = None
    if measure_rss:
        settle = float(os.environ.get("SETTLE", "5"))
        pump(time.perf_counter() + settle)
        for k in os.environ.get("KEYS", "").encode().decode("unicode_escape"):
            os.write(fd, k.encode())
            pump(time.perf_counter() + 1.5)
        pump(time.perf_counter() + settle)
        rss = rss_mb(pid)
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.close(fd)
    return data, rss, second

runs = [once() for _ in range(N - 1)] + [once(measure_rss=True)]
datas = [r[0] * 1000 for r in runs if r[0]]
if not datas:
    sys.exit("the marker never appeared")
print(f"first frame with data: median {statistics.median(datas):.1f} ms "
      f"(min {min(datas):.1f}, max {max(datas):.1f}) over {len(datas)} runs")
seconds = [r[2] * 1000 for r in runs if r[2]]
if seconds:
    print(f"THEN keys to MARKER2: median {statistics.median(seconds):.1f} ms "
          f"(min {min(seconds):.1f}, max {max(seconds):.1f}) over {len(seconds)} runs")
print(f"RSS after settling: {runs[-1][1]:.1f} MB")
