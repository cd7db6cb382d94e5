"""`make bench`: build (or reuse) a synthetic county on PostgreSQL at each scale, measure every
key page in process and over HTTP, and write bench/results/latest.json and latest.md.

For each scale: the database `<BENCH_DATABASE_URL>_<scale>` is reused when it was built by the
same synthetic-county code at that scale (its PostgreSQL comment holds a stamp), else dropped
and built again with `seed_synthetic`. Then `bench/inprocess.py` counts each page's queries and
times it with Django's test client, gunicorn starts (2 workers, production settings) and wrk
loads each page for a fixed time, with /healthz first as the floor. Everything it starts, it
stops; every step has a time limit.

    python bench/run.py --scales 1 10 100 --duration 10 --repeat 30
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
# What decides a synthetic database's contents: reuse one only if these are unchanged.
BUILT_FROM = ["config/synthetic.py", "config/management/commands/seed_synthetic.py"]
SEED = 1

# The targets of issue 22, checked against the figures (render times in ms).
TARGETS = {
    "max_queries": 15,
    "render": {"10": (50, 150), "100": (150, 400)},
    "throughput_ratio": {"10": 0.10},
}


def log(message):
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def run(command, *, env=None, timeout, capture=False):
    """Run a step; `capture` returns its stdout, while its stderr (a long build's progress) shows."""
    stdout = subprocess.PIPE if capture else None
    return subprocess.run(command, cwd=ROOT, env=env, timeout=timeout, check=True, text=True, stdout=stdout).stdout


# --- the databases -------------------------------------------------------------------------


def scale_label(scale):
    return f"{scale:g}"


def stamp(scale):
    digest = hashlib.sha256()
    for path in BUILT_FROM:
        digest.update((ROOT / path).read_bytes())
    return f"synthetic county, scale {scale_label(scale)}, seed {SEED}, code {digest.hexdigest()[:12]}"


def database_url(base, scale):
    return f"{base}_{scale_label(scale).replace('.', '_')}"


def admin_connection(url):
    """A connection to the server's `postgres` database, to create and drop the bench's own."""
    server = url.rsplit("/", 1)[0]
    return psycopg.connect(f"{server}/postgres", autocommit=True)


def app_env(url, **extra):
    """Production settings, on plain http on localhost, scoped to the synthetic authority."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "HOME_AUTHORITY": "Synthetica",
        "COUNCIL_NAME": "Synthetic County Council (synthetic data)",
        "PYTHONPATH": str(ROOT),
    }
    return {**env, **extra}


def ensure_database(base, scale, *, rebuild):
    """The database for this scale, built if missing or built by other code; returns
    (url, seconds the build took or None when reused)."""
    url = database_url(base, scale)
    name = url.rsplit("/", 1)[1]
    wanted = stamp(scale)
    with admin_connection(url) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row and row[0] == wanted and not rebuild:
            log(f"scale {scale_label(scale)}: reusing {name} ({wanted})")
            run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env=app_env(url), timeout=1800)
            return url, None
        if row:
            log(f"scale {scale_label(scale)}: {name} was built by other code ({row[0]}); building it again")
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env=app_env(url), timeout=600)
    log(f"scale {scale_label(scale)}: building the synthetic county in {name}")
    started = time.perf_counter()
    out = run(
        [PYTHON, "manage.py", "seed_synthetic", "--scale", scale_label(scale), "--seed", str(SEED)],
        env=app_env(url),
        timeout=3600,
        capture=True,
    )
    seconds = round(time.perf_counter() - started, 1)
    log(out.strip())
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    with admin_connection(url) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")
    return url, seconds


# --- measuring -----------------------------------------------------------------------------


def measure_in_process(url, *, repeat, connections):
    out = run(
        [PYTHON, "-m", "bench.inprocess", "--repeat", str(repeat), "--connections", str(connections)],
        env=app_env(url, LOG_LEVEL="WARNING"),
        timeout=3600,
        capture=True,
    )
    return json.loads(out)


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py, 2 workers, on a local port; stopped on exit."""

    def __init__(self, url, port, workers, log_path):
        self.url, self.port, self.workers, self.log_path = url, port, workers, log_path

    def __enter__(self):
        env = app_env(self.url, WEB_CONCURRENCY=str(self.workers), GUNICORN_BIND=f"127.0.0.1:{self.port}")
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"gunicorn stopped: see {self.log_path}") from None
                time.sleep(0.5)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer /healthz within a minute: see {self.log_path}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


def wrk(url, *, duration, connections, cookie=None, post_args=None):
    command = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "wrk.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    if post_args:
        command += ["--", "post", *post_args]
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    seconds = result["duration_us"] / 1e6
    result["rps"] = round(result["requests"] / seconds, 1)
    errors = sum(result["errors"].values())
    result["error_count"] = errors
    return result


def warm(base, paths, session, connections):
    """Each page requested by as many clients at once as wrk will use, each request awaited."""
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"sessionid={session}")]

    def get(path):
        try:
            with opener.open(base + path, timeout=120) as response:
                response.read()
        except OSError as error:  # wrk will measure it: a page too slow to warm is slow under load too
            log(f"  warming {path}: {error}")

    with ThreadPoolExecutor(connections) as pool:
        for path in paths:
            list(pool.map(get, [path] * connections))


def settle(base, connections):
    """wrk stops at its deadline, not the server: before the next page is timed, wait until
    as many /healthz requests as wrk has connections are answered together, which they are
    only once the requests still in flight have finished."""
    opener = urllib.request.build_opener()

    def get(_):
        with opener.open(base + "/healthz", timeout=300) as response:
            response.read()

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(get, range(connections)))


def measure_http(url, inprocess, *, port, duration, connections, workers):
    base = f"http://127.0.0.1:{port}"
    session, csrf = inprocess["session"], inprocess["csrf"]
    results = {}
    with Gunicorn(url, port, workers, RESULTS / "gunicorn.log"):
        # Warm every worker's templates and connections before timing anything.
        warm(base, [page["url"] for page in inprocess["pages"] if page["method"] == "GET"], session, connections)
        results["/healthz"] = wrk(base + "/healthz", duration=duration, connections=connections)
        log(f"  /healthz: {results['/healthz']['rps']} req/s")
        for page in inprocess["pages"]:
            if page["method"] == "POST":
                targets = [f"{rate['path']}@{rate['version']}" for rate in inprocess["rates"]]
                result = wrk(
                    base + page["url"],
                    duration=duration,
                    connections=len(targets),
                    post_args=[session, csrf, *targets],
                )
            else:
                result = wrk(
                    base + page["url"], duration=duration, connections=connections, cookie=f"sessionid={session}"
                )
            results[page["name"]] = result
            settle(base, connections)
            log(f"  {page['name']}: {result['rps']} req/s, p50 {result['latency_ms']['p50']} ms")
    return results


# --- the report ----------------------------------------------------------------------------


def machine():
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) if meminfo else 0
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    return {
        "cores": os.cpu_count(),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "ram_gib": round(total_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "yardstick_s": yardstick(),
    }


def yardstick():
    """Seconds a fixed piece of pure Python takes here (the best of three): machines of the
    same description differ by a factor of two or more, and this says which one a run had."""
    best = None
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for n in range(5_000_000):
            total += n
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return round(best, 2)


def postgres_version(url):
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def cached(figures):
    """A page's figures after a change to the record, where they differ from its figures as
    served: the page is served from the record cache. None for a page worked out every time."""
    cold = figures.get("cold")
    return cold if cold and cold["queries"] != figures["queries"] else None


def check_targets(results):
    """Each target of the issue that a page misses, in words."""
    misses = []
    scales = results["scales"]
    for page in results["pages"]:
        name = page["name"]
        counts = {scale: page["scales"][scale]["queries"] for scale in scales if scale in page["scales"]}
        if len(set(counts.values())) > 1:
            misses.append(f"{name}: queries differ between scales ({counts})")
        if any(count > TARGETS["max_queries"] for count in counts.values()):
            misses.append(f"{name}: more than {TARGETS['max_queries']} queries ({max(counts.values())})")
        colds = {scale: cached(page["scales"][scale])["queries"] for scale in counts if cached(page["scales"][scale])}
        if any(count > TARGETS["max_queries"] for count in colds.values()):
            misses.append(f"{name}: after a change, more than {TARGETS['max_queries']} queries ({max(colds.values())})")
        for scale, (median, p95) in TARGETS["render"].items():
            figures = page["scales"].get(scale)
            if figures and (figures["median_ms"] >= median or figures["p95_ms"] >= p95):
                misses.append(
                    f"{name}: at scale {scale} renders in {figures['median_ms']} ms median, "
                    f"{figures['p95_ms']} ms p95 (target < {median} / {p95})"
                )
            cold = cached(figures or {})
            if cold and (cold["median_ms"] >= median or cold["p95_ms"] >= p95):
                misses.append(
                    f"{name}: after a change, at scale {scale} renders in {cold['median_ms']} ms median, "
                    f"{cold['p95_ms']} ms p95 (target < {median} / {p95})"
                )
        for scale, ratio in TARGETS["throughput_ratio"].items():
            figures = page["scales"].get(scale, {}).get("http")
            if figures and figures["ratio"] < ratio:
                misses.append(f"{name}: at scale {scale} serves {figures['ratio']:.0%} of /healthz's throughput")
    return misses


def render_table(scales, rows):
    """A Markdown table of queries and render times: `rows` are (page name, {scale: figures or None})."""
    lines = [
        "| page | queries " + " / ".join(scales) + " | " + " | ".join(f"render, scale {s}" for s in scales) + " |",
        "|---|---|" + "---|" * len(scales),
    ]
    for name, by_scale in rows:
        figures = [by_scale.get(s) for s in scales]
        cells = [name, " / ".join(str(f["queries"]) if f else "–" for f in figures)]
        cells += [f"{f['median_ms']:g} / {f['p95_ms']:g}" if f else "–" for f in figures]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def markdown(results):
    scales = results["scales"]
    m = results["machine"]
    lines = [
        f"Measured {results['finished']} on {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, "
        f"PostgreSQL {results['postgres']}, Python {m['python']} (yardstick: 5 million additions in pure Python "
        f"took {m.get('yardstick_s', '?')} s); gunicorn {results['settings']['workers']} "
        f"workers, wrk {results['settings']['connections']} connections for {results['settings']['duration']} s a "
        f"page; in-process figures over {results['settings']['repeat']} requests a page (fewer, three at least, "
        "for a page slower than the time budget).",
        "",
        "Queries per request and in-process render time (median / 95th percentile, ms):",
        "",
    ]
    lines += render_table(scales, [(page["name"], page["scales"]) for page in results["pages"]])
    lines += [
        "",
        "The first request after a change to the record (nothing cached yet, `config/record_cache.py`), for the",
        "pages the record cache serves: queries, and render time (median / 95th percentile, ms):",
        "",
    ]
    colds = [(page["name"], {s: cached(page["scales"].get(s, {})) for s in scales}) for page in results["pages"]]
    lines += render_table(scales, [(name, figures) for name, figures in colds if any(figures.values())])
    lines += [
        "",
        "HTTP under load: requests a second (share of the /healthz floor in the same run), and latency p50 / p99 (ms):",
        "",
        "| page | " + " | ".join(f"scale {s}" for s in scales) + " |",
        "|---|" + "---|" * len(scales),
    ]
    floor = {"name": "/healthz (floor)", "scales": {s: {"http": results["floor"][s]} for s in results["floor"]}}
    for page in [floor, *results["pages"]]:
        cells = [page["name"]]
        for s in scales:
            http = page["scales"].get(s, {}).get("http")
            if not http:
                cells.append("–")
                continue
            ratio = f" ({http['ratio']:.0%})" if "ratio" in http else ""
            errors = f", {http['error_count']} errors" if http["error_count"] else ""
            cells.append(
                f"{http['rps']:g}{ratio}; {http['latency_ms']['p50']:g} / {http['latency_ms']['p99']:g}{errors}"
            )
        lines.append("| " + " | ".join(cells) + " |")
    builds = ", ".join(
        f"scale {s}: {seconds:g} s" if seconds is not None else f"scale {s}: reused"
        for s, seconds in results["builds"].items()
    )
    lines += ["", f"Building the synthetic county (`seed_synthetic`): {builds}.", ""]
    misses = results["misses"]
    lines.append("Targets: all met." if not misses else "Targets missed:")
    lines += [f"- {miss}" for miss in misses]
    return "\n".join(lines) + "\n"


def update_readme(table):
    """Put the latest table into the README's Performance section, between its markers."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        readme.write_text(f"{before}{start}{table}{end}{after}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", type=float, default=[1, 10, 100])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--repeat", type=int, default=30, help="in-process requests per page")
    # Many at once, as on committee morning, and enough that both workers hold some: a gunicorn
    # worker keeps the keep-alive connections it accepts, and with 4 connections all of them
    # landed on one worker one run in eight or so, halving the page's throughput.
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (one thread each)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rebuild", action="store_true", help="build every database again")
    parser.add_argument(
        "--add", action="store_true", help="keep the other scales of bench/results/latest.json (an earlier run's)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/it_bench"),
        help="each scale's database is this with _<scale> appended",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench installs it)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    log("collecting static files (production settings serve hashed names)")
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env=app_env("sqlite://:memory:"), timeout=300)

    scales = [scale_label(scale) for scale in args.scales]
    results = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scales": scales,
        "settings": {k: getattr(args, k) for k in ("duration", "repeat", "connections", "workers")},
        "machine": machine(),
        "builds": {},
        "floor": {},
        "pages": [],
    }
    pages = {}
    if args.add and (RESULTS / "latest.json").exists():
        earlier = json.loads((RESULTS / "latest.json").read_text())
        for key in ("builds", "floor"):
            results[key] = {s: v for s, v in earlier[key].items() if s not in scales}
        for page in earlier["pages"]:
            page["scales"] = {s: v for s, v in page["scales"].items() if s not in scales}
            pages[page["name"]] = page
        results["scales"] = sorted({*earlier["scales"], *scales}, key=float)
        results["started"] = earlier["started"]
    for scale in args.scales:
        label = scale_label(scale)
        url, seconds = ensure_database(args.database_url, scale, rebuild=args.rebuild)
        results["builds"][label] = seconds
        results["postgres"] = postgres_version(url)
        log(f"scale {label}: measuring in process")
        inprocess = measure_in_process(url, repeat=args.repeat, connections=args.connections)
        log(f"scale {label}: measuring over HTTP")
        http = measure_http(
            url, inprocess, port=args.port, duration=args.duration, connections=args.connections, workers=args.workers
        )
        floor = http["/healthz"]
        results["floor"][label] = floor
        for page in inprocess["pages"]:
            entry = pages.setdefault(page["name"], {"name": page["name"], "method": page["method"], "scales": {}})
            figures = {
                k: page[k] for k in ("url", "queries", "bytes", "median_ms", "p95_ms", "requests", "cold") if k in page
            }
            figures["http"] = {**http[page["name"]], "ratio": round(http[page["name"]]["rps"] / floor["rps"], 3)}
            entry["scales"][label] = figures
        results["pages"] = list(pages.values())
        results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        results["misses"] = check_targets(results)
        # Written after every scale, so that a long run leaves what it has measured so far.
        (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
        (RESULTS / "latest.md").write_text(markdown(results))
        update_readme(markdown(results))
    log(f"done in {time.monotonic() - started:.0f} s: bench/results/latest.md")
    print((RESULTS / "latest.md").read_text())


if __name__ == "__main__":
    main()
