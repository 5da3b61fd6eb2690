#!/usr/bin/env python3
"""Katib's window against a bare Tauri 2 window built the same way, in one run.

usage: desktop.py KATIB_DESKTOP BARE_WINDOW SEED_HISTORY [--runs N] [--batches B] [--templates T] [--history R]

Needs a display (DISPLAY, e.g. Xvfb). Three apps are launched in turn, round after round:
  bare     the bare Tauri 2 window (tests/bench/bare-window);
  katib    Katib with T templates in its gallery (the built-in ones, plus copies of them as user
           templates up to T) and an empty history;
  katib+h  the same with R recorded runs in its history (SEED_HISTORY, the seed-history example,
           writes them once into the benchmark's data folder).
Each launch: start it, wait until its page has made its first IPC call after painting (the app
writes the time to $KATIB_READY_FILE), note the start-to-interactive time; wait 3 s idle, sum the
PSS of the app and its WebKit children (/proc/PID/smaps_rollup); stop it and every process it
started, by process id (never by name: other programs may run WebKit too).
B batches of N rounds; a batch's figure is its median; the result is the median of the batches'
ratios to the bare window. Exits 1 if a target is missed (start <= 1.2x, memory <= 1.3x).
"""
import os, re, shutil, signal, statistics, subprocess, sys, tempfile, time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = open(f"/proc/{p}/task/{p}/children").read().split()
        except OSError:
            kids = []
        for k in map(int, kids):
            out.append(k)
            todo.append(k)
    return out


def pss_kb(pid):
    total = 0
    for p in [pid] + descendants(pid):
        try:
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def stop(p):
    """Kills the app and the processes it started (collected before: orphans get reparented)."""
    tree = descendants(p.pid)
    p.kill()
    p.wait()
    for pid in tree:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.time() + 10
    while time.time() < deadline and any(os.path.exists(f"/proc/{pid}") and not zombie(pid) for pid in tree):
        time.sleep(0.02)


def zombie(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def measure(binary, env, config=None, data=None):
    tmp = tempfile.mkdtemp(prefix="katib-bench-desktop-")
    ready = os.path.join(tmp, "ready")
    e = dict(env, KATIB_READY_FILE=ready, KATIB_CONFIG_DIR=config or os.path.join(tmp, "c"), KATIB_DATA_DIR=data or os.path.join(tmp, "d"))
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
        stop(p)
        shutil.rmtree(tmp, ignore_errors=True)
    return start_ms, mem


def user_templates(config, total):
    """Copies of built-in templates (new ids) in the user templates folder, up to `total` in all."""
    prompts = sorted(f for f in os.listdir(os.path.join(REPO, "prompts")) if f.endswith(".md"))
    missing = max(0, total - len(prompts))
    folder = os.path.join(config, "templates")
    os.makedirs(folder, exist_ok=True)
    for i in range(missing):
        src = prompts[i % len(prompts)]
        text = open(os.path.join(REPO, "prompts", src), encoding="utf-8").read()
        tid = src[:-3]
        text, n = re.subn(r'^id = "%s"$' % re.escape(tid), f'id = "{tid}-copie-{i + 1}"', text, count=1, flags=re.M)
        assert n == 1, f"no id line in {src}"
        open(os.path.join(folder, f"{tid}-copie-{i + 1}.md"), "w", encoding="utf-8").write(text)
    return len(prompts) + missing


def main():
    katib, bare, seed = sys.argv[1], sys.argv[2], sys.argv[3]
    opt = lambda name, default: int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default
    runs, batches, templates, history = opt("--runs", 21), opt("--batches", 4), opt("--templates", 29), opt("--history", 10_000)
    env = dict(os.environ, WEBKIT_DISABLE_DMABUF_RENDERER="1", KATIB_RESOURCES_DIR=REPO)
    work = tempfile.mkdtemp(prefix="katib-bench-desktop-setup-")
    try:
        config = os.path.join(work, "config")
        count = user_templates(config, templates)
        data = os.path.join(work, "data")
        t = time.time()
        subprocess.run([seed, data, str(history)], check=True, stdout=subprocess.DEVNULL)
        db = os.path.getsize(os.path.join(data, "katib.sqlite3")) / 1e6
        print(f"setup: {count} templates; {history} runs in the history ({db:.0f} MB, seeded in {time.time() - t:.0f} s)", file=sys.stderr)
        apps = [
            ("bare", lambda: measure(bare, env)),
            ("katib", lambda: measure(katib, env, config=config)),
            ("katib+h", lambda: measure(katib, env, config=config, data=data)),
        ]
        for _, run in apps:
            run()  # warm the page cache once: "cold" is a cold process, not a cold disk
        rows = []
        for b in range(batches):
            # Interleaved (bare, Katib, Katib with history, bare...): whatever the machine does
            # meanwhile falls on all three.
            samples = {name: [] for name, _ in apps}
            for _ in range(runs):
                for name, run in apps:
                    samples[name].append(run())
            for name, ss in samples.items():
                print(f"batch {b + 1}, {name} start-up, ms: {' '.join(str(round(s[0])) for s in ss)}", file=sys.stderr)
            med = {name: (statistics.median(s[0] for s in ss), statistics.median(s[1] for s in ss)) for name, ss in samples.items()}
            rows.append(med)
            bs, bm = med["bare"]
            print(f"batch {b + 1}: bare {bs:.0f} ms / {bm:.0f} MB; katib {med['katib'][0]:.0f} ms ({med['katib'][0] / bs:.2f}x) / {med['katib'][1]:.0f} MB; "
                  f"katib+history {med['katib+h'][0]:.0f} ms ({med['katib+h'][0] / bs:.2f}x) / {med['katib+h'][1]:.0f} MB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ratio = lambda name, i: statistics.median(r[name][i] / r["bare"][i] for r in rows)
    value = lambda name, i: statistics.median(r[name][i] for r in rows)
    per_batch = lambda name, i: ", ".join(f"{r[name][i] / r['bare'][i]:.2f}x" for r in rows)
    print(f"| measure ({batches} interleaved batches of {runs} rounds; medians) | bare Tauri 2 window | Katib, {count} templates | ratio | Katib, {count} templates + {history:,} runs | ratio | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print(f"| start to interactive | {value('bare', 0):.0f} ms | {value('katib', 0):.0f} ms | {ratio('katib', 0):.2f}x | {value('katib+h', 0):.0f} ms | {ratio('katib+h', 0):.2f}x | <= 1.2x |")
    print(f"| idle memory, PSS of app + WebKit children | {value('bare', 1):.0f} MB | {value('katib', 1):.0f} MB | {ratio('katib', 1):.2f}x | {value('katib+h', 1):.0f} MB | {ratio('katib+h', 1):.2f}x | <= 1.3x |")
    print(f"start ratio per batch: katib {per_batch('katib', 0)}; with the history {per_batch('katib+h', 0)}")
    ok = all(ratio(n, 0) <= 1.2 and ratio(n, 1) <= 1.3 for n in ("katib", "katib+h"))
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
