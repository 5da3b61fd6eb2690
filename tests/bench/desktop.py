#!/usr/bin/env python3
"""Katib's window against a bare Tauri 2 window built the same way, in one run.

usage: desktop.py KATIB_DESKTOP BARE_WINDOW [--runs N]
Needs a display (DISPLAY, e.g. Xvfb). N rounds, the two apps in turn: start it, wait until its page has
made its first IPC call after painting (the app writes the time to $KATIB_READY_FILE), note the
start-to-interactive time; wait 3 s idle, sum the PSS of the app and its WebKit children
(/proc/PID/smaps_rollup); stop it. Medians; ratios Katib / bare. Exits 1 if a target is missed.
"""
import os, statistics, subprocess, sys, tempfile, time

def descendants(pid):
    out, todo = [pid], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = open(f"/proc/{p}/task/{p}/children").read().split()
        except OSError:
            kids = []
        for k in map(int, kids):
            out.append(k); todo.append(k)
    return out

def pss_kb(pid):
    total = 0
    for p in descendants(pid):
        try:
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total

def measure(binary, env):
    tmp = tempfile.mkdtemp(prefix="katib-bench-desktop-")
    ready = os.path.join(tmp, "ready")
    e = dict(env, KATIB_READY_FILE=ready, KATIB_CONFIG_DIR=os.path.join(tmp, "c"), KATIB_DATA_DIR=os.path.join(tmp, "d"))
    t0 = time.time_ns()
    p = subprocess.Popen([binary], env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not (os.path.exists(ready) and open(ready).read().strip()):
            if time.time() > deadline or p.poll() is not None:
                sys.exit(f"{binary} never became ready")
            time.sleep(0.005)
        start_ms = (int(open(ready).read()) - t0) / 1e6
        time.sleep(3)
        mem = pss_kb(p.pid) / 1024
    finally:
        # Only the processes this run started: the app and its own WebKit children, never
        # another application's WebKit processes.
        tree = descendants(p.pid)
        for pid in reversed(tree):
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        p.wait()
    return start_ms, mem

def main():
    katib, bare = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    env = dict(os.environ, WEBKIT_DISABLE_DMABUF_RENDERER="1")
    apps = [("bare", bare), ("katib", katib)]
    for _, binary in apps:
        measure(binary, env)  # warm the page cache once: "cold" is a cold process, not a cold disk
    # Interleaved (bare, Katib, bare, Katib...): whatever the machine does meanwhile falls on both.
    samples = {name: [] for name, _ in apps}
    for _ in range(runs):
        for name, binary in apps:
            samples[name].append(measure(binary, env))
    for name, ss in samples.items():
        print(f"{name} start-up, ms: {' '.join(str(round(s[0])) for s in ss)}", file=sys.stderr)
    res = {name: (statistics.median(s[0] for s in ss), statistics.median(s[1] for s in ss)) for name, ss in samples.items()}
    (bs, bm), (ks, km) = res["bare"], res["katib"]
    print("| measure | bare Tauri 2 window | Katib | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| start to interactive (median of {runs}) | {bs:.0f} ms | {ks:.0f} ms | {ks/bs:.2f}x | <= 1.2x |")
    print(f"| idle memory, PSS of app + WebKit children | {bm:.0f} MB | {km:.0f} MB | {km/bm:.2f}x | <= 1.3x |")
    ok = ks / bs <= 1.2 and km / bm <= 1.3
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
