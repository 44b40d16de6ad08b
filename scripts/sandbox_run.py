"""Shared by the measuring scripts: start `gigdash sandbox` with some arguments and wait
(at most 300 s) for its base URL and its first key (the franchise master's admin, which
reaches every branch by Connect)."""
import re, subprocess, sys, time


def start(binary, args):
    """The sandbox process, its base URL (…/v2), its first key and the seconds it took."""
    sb = subprocess.Popen([binary, "sandbox", *args],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = key = None
    t0 = time.time()
    while (url is None or key is None) and time.time() - t0 < 300:
        line = sb.stdout.readline()
        if not line:
            break
        m = re.search(r"(http://127\.0\.0\.1:\d+/v2)", line)
        if m and url is None:
            url = m.group(1)
        if line.strip().startswith("eyJ") and key is None:
            key = line.strip()
    if not url or not key:
        sb.kill()
        sys.exit("the sandbox never printed its URL and a key")
    return sb, url, key, time.time() - t0
