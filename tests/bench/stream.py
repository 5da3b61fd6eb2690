#!/usr/bin/env python3
"""Streaming overhead of `katib run` against `curl -N`, on the same loopback server, in one run.

usage: stream.py KATIB TESTSERVER [--runs N] [--tokens N]

1. First token: the server (katib-testserver) stays silent 300 ms after the request, then stamps
   the wall-clock time of its first body byte. For each client we take the time its stdout shows
   the first byte of the answer, minus that stamp: what the client adds between the network and
   the user's eyes. Median over N runs.
2. Throughput: a 100,000-token stream; time from the server's first byte to the client's end of
   output, for each client. Rate ratio = curl's time / katib's time (1.0 = as fast as curl).
3. The same two measures for a pseudonymised run: the profile is a cloud one, the prompt leaves
   with placeholders ([NOM_1] for the sample's citizen), and the server echoes a placeholder split
   over two tokens every 50 tokens: Katib restores the stream as it goes.
Prints a Markdown table (for the README) and exits 1 if a target is missed.
"""
import json, os, statistics, subprocess, sys, tempfile, time

def start_server(testserver, tokens, delay_ms, stamp, every=0):
    p = subprocess.Popen([testserver, "--tokens", str(tokens), "--first-delay-ms", str(delay_ms), "--stamp", stamp,
                          "--placeholder-every", str(every)],
                         stdout=subprocess.PIPE, text=True)
    return p, p.stdout.readline().strip()

def last_stamp(path):
    with open(path) as f:
        return int(f.read().split()[-1])

def timed_client(cmd, env):
    """(ns of the first stdout byte, ns of stdout EOF, bytes) for one run."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    first = None
    n = 0
    fd = p.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        if first is None:
            first = time.time_ns()
        n += len(chunk)
    end = time.time_ns()
    p.wait()
    if p.returncode != 0:
        sys.exit(f"client failed ({p.returncode}): {' '.join(cmd)}")
    return first, end, n

def main():
    katib, testserver = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 15
    big = int(sys.argv[sys.argv.index("--tokens") + 1]) if "--tokens" in sys.argv else 100_000
    tmp = tempfile.mkdtemp(prefix="katib-bench-")
    env = dict(os.environ, KATIB_CONFIG_DIR=os.path.join(tmp, "cfg"), KATIB_DATA_DIR=os.path.join(tmp, "data"))
    env.pop("KATIB_API_KEY", None)
    body = json.dumps({"model": "test-model", "stream": True,
                       "messages": [{"role": "user", "content": "Bonjour"}]})

    def clients(url, masked):
        return {
            "curl -N": ["curl", "-sN", "-X", "POST", "-H", "Content-Type: application/json",
                        "--data", body, f"{url}/chat/completions"],
            "katib run": [katib, "run", "reponse-citoyen" if masked else "aide-formule", "--sample", "--profile", "bench"],
        }

    results = {}
    phases = [("first", 20, 300, False), ("rate", big, 0, False), ("first-masked", 20, 300, True), ("rate-masked", big, 0, True)]
    for phase, tokens, delay, masked in phases:
        stamp = os.path.join(tmp, f"stamp-{phase}")
        server, url = start_server(testserver, tokens, delay, stamp, 50 if masked else 0)
        try:
            subprocess.run([katib, "profiles", "add", "bench", "--base-url", url, "--model", "test-model", "--retries", "0",
                            "--data-class", "cloud" if masked else "local"],
                           env=env, check=True, stderr=subprocess.DEVNULL)
            n = runs if phase.startswith("first") else max(3, runs // 3)
            for name, cmd in clients(url, masked).items():
                samples = []
                for _ in range(n):
                    first, end, nbytes = timed_client(cmd, env)
                    s = last_stamp(stamp)
                    samples.append((first - s) / 1e6 if phase.startswith("first") else (end - s) / 1e6)
                results[(phase, name)] = statistics.median(samples)
        finally:
            server.kill()
            subprocess.run([katib, "profiles", "remove", "bench"], env=env, stderr=subprocess.DEVNULL)
    print(f"| measure | curl -N | katib run | katib vs curl | target |")
    print(f"|---|---:|---:|---:|---|")
    ok = True
    for suffix, label in [("", ""), ("-masked", "pseudonymised, restored: ")]:
        fk, fc = results[("first" + suffix, "katib run")], results[("first" + suffix, "curl -N")]
        rk, rc = results[("rate" + suffix, "katib run")], results[("rate" + suffix, "curl -N")]
        ratio = rc / rk
        print(f"| {label}server's first byte -> first token on stdout (median of {runs}) | {fc:.2f} ms | {fk:.2f} ms | {fk - fc:+.2f} ms | <= +5 ms |")
        print(f"| {label}{big:,} tokens, first byte -> end of output | {rc:.0f} ms | {rk:.0f} ms | {ratio:.2f}x curl's rate | >= 0.90x |")
        ok = ok and (fk - fc) <= 5.0 and ratio >= 0.90
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
