#!/usr/bin/env python3
"""Launch-to-first-frame of the release binary in a pseudo-terminal, in demo mode.

Runs gigdash N times (default 15) and prints the median time from exec to the first byte
of the first frame, and to the first frame with data. Usage: scripts/first_frame.py [N]
"""
import fcntl, os, pty, select, signal, statistics, struct, sys, tempfile, termios, time

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "gigdash")

def once():
    env = dict(os.environ, TERM="xterm-256color", XDG_STATE_HOME=tempfile.mkdtemp())
    env.pop("GIGSTACK_API_KEY", None)
    # English, whatever the machine's locale: the script waits for English words.
    env["LANG"] = "C.UTF-8"
    for var in ("LC_ALL", "LC_MESSAGES", "GIGDASH_LANG"):
        env.pop(var, None)
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execve(BIN, [BIN, "--demo"], env)
    first = data = None
    buf = b""
    while data is None and time.perf_counter() - start < 20:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            buf += chunk
            now = time.perf_counter() - start
            if first is None and b"gigdash" in buf:
                first = now
            if b"Invoiced" in buf:
                data = now
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.close(fd)
    return first, data

runs = [once() for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 15)]
firsts = [r[0] * 1000 for r in runs if r[0]]
datas = [r[1] * 1000 for r in runs if r[1]]
print(f"first frame: median {statistics.median(firsts):.1f} ms (min {min(firsts):.1f}, max {max(firsts):.1f}) over {len(firsts)} runs")
print(f"first frame with data: median {statistics.median(datas):.1f} ms (min {min(datas):.1f}, max {max(datas):.1f})")
