"""Reliability checks on PostgreSQL: load, a database restart under load, and backup/restore.

    python bench/reliability/run.py [--checks load,fault,backup] [--duration 60] [--outage 5]

Builds a throwaway PostgreSQL cluster (pg_createcluster, port 5433 by default) holding a
synthetic county, serves it with two gunicorn instances in production settings, and drops the
cluster at the end, whatever happens; the whole run stops by itself within --time-limit.
Figures go to bench/results/reliability.json and .md; the exit status is 1 if a check failed.
See docs/operations.md.
"""

import argparse
import datetime as dt
import json
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from services import PROJECT, Cluster, Gunicorn, manage, production_env, run
from traffic import Browser, Recorder, start_users

RECORD_DB = "it_reliab_record"
RESTORED_DB = "it_reliab_restored"
RESULTS = PROJECT / "bench" / "results"
# The synthetic county's short name (config/synthetic.py): the dashboards follow its plan.
HOME_AUTHORITY = "Synthetica"
# How many of the current plan's priorities the officers share: few, so that they collide.
SHARED_PRIORITIES = 3
CHECKS = ("load", "fault", "backup")


def main():
    args = parse_args()
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.time_limit)
    checks = args.checks.split(",")
    log_dir = Path(tempfile.mkdtemp(prefix="reliability-"))
    cluster = Cluster(name="reliability", port=args.pg_port)
    env = production_env(cluster.url(RECORD_DB), HOME_AUTHORITY=HOME_AUTHORITY)
    servers = [Gunicorn(port=port, env=env, log_dir=log_dir) for port in args.ports]
    results = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": {
            "postgresql": cluster.version,
            "scale": args.scale,
            "app_servers": [f"gunicorn 127.0.0.1:{port}" for port in args.ports],
            "councillors": args.councillors,
            "officers": args.officers,
            "duration_s": args.duration,
            "outage_s": args.outage,
        },
    }
    try:
        say(f"Creating PostgreSQL {cluster.version} cluster '{cluster.name}' on port {cluster.port}")
        cluster.create()
        results["setup"] = prepare(cluster, env, args)
        for server in servers:
            server.start()
        say(f"Serving on {', '.join(str(port) for port in args.ports)} (logs in {log_dir})")
        accounts = results["setup"].pop("accounts")
        pages, priorities = discover(args.ports[0], accounts["councillor"])
        traffic = {"ports": args.ports, "pages": pages, "priorities": priorities, "accounts": accounts}
        if "load" in checks:
            results["load"] = load_check(cluster, traffic, args)
        if "fault" in checks:
            results["fault"] = fault_check(cluster, traffic, args)
        for server in servers:
            server.stop()
        if "backup" in checks:
            results["backup"] = backup_check(cluster, env, log_dir)
    finally:
        for server in servers:
            server.stop()
        if cluster.exists():
            say(f"Dropping cluster '{cluster.name}'")
            cluster.drop()
        signal.alarm(0)
    results["passed"] = all(results[check]["passed"] for check in checks)
    write_results(results)
    return 0 if results["passed"] else 1


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checks", default=",".join(CHECKS), help="Any of load, fault, backup, comma-separated.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds of load in the load and fault checks.")
    parser.add_argument("--outage", type=float, default=5, help="Seconds PostgreSQL stays down in the fault check.")
    parser.add_argument("--recovery-limit", type=float, default=10, help="Most seconds allowed to recover.")
    parser.add_argument("--councillors", type=int, default=6)
    parser.add_argument("--officers", type=int, default=4)
    parser.add_argument("--scale", default="1", help="Of the synthetic county (seed_synthetic --scale).")
    parser.add_argument("--pg-port", type=int, default=5433, help="Of the throwaway cluster; never a shared one.")
    parser.add_argument("--ports", type=int, nargs=2, default=[8101, 8102], help="Of the two gunicorn instances.")
    parser.add_argument("--time-limit", type=int, default=900, help="Seconds after which the run stops itself.")
    args = parser.parse_args()
    unknown = set(args.checks.split(",")) - set(CHECKS)
    if unknown:
        parser.error(f"unknown checks: {', '.join(sorted(unknown))}; choose from {', '.join(CHECKS)}")
    return args


def out_of_time(signum, frame):
    raise TimeoutError("The reliability checks ran past --time-limit; stopping.")


def say(message):
    print(message, flush=True)


def prepare(cluster, env, args):
    """The record database: migrated, a synthetic county, the demo users, static files."""
    cluster.create_database(RECORD_DB)
    started = time.monotonic()
    manage("migrate", "--no-input", env=env)
    seeded = manage("seed_synthetic", "--scale", args.scale, env=env).strip()
    say(seeded)
    password = secrets.token_urlsafe(18)
    manage("create_demo_users", env={**env, "DEMO_PASSWORD": password})
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    return {
        "database": RECORD_DB,
        "seed": seeded,
        "seconds": round(time.monotonic() - started, 1),
        "accounts": {"councillor": ("councillor", password), "officer": ("officer", password)},
    }


def discover(port, account):
    """The pages councillors read, found as a councillor finds them: from the plan's pages."""
    browser = Browser(port)
    browser.sign_in(*account)
    plan = browser.request("GET", "/plan/").body
    measures = browser.request("GET", "/plan/measures/").body
    browser.close()
    priorities = sorted(set(map(int, re.findall(r'href="/plan/priorities/(\d+)/"', plan))))
    measure_pages = sorted(set(re.findall(r'href="(/plan/measures/\d+/)"', measures)))[:5]
    if not priorities or not measure_pages:
        raise RuntimeError("The plan shows no priorities or measures: is HOME_AUTHORITY the synthetic county's?")
    pages = [
        "/",
        "/plan/",
        "/plan/priorities/",
        *(f"/plan/priorities/{pk}/" for pk in priorities[:5]),
        "/plan/measures/",
        *measure_pages,
        "/scrutiny/",
        "/scrutiny/actions/",
    ]
    return pages, priorities[:SHARED_PRIORITIES]


def priority_versions(cluster):
    with cluster.connect(RECORD_DB) as connection:
        return dict(connection.execute("SELECT id, version FROM improvement_priority").fetchall())


def drive(cluster, traffic, args, tag, during=None):
    """Run the users for --duration seconds (calling `during(recorder)` meanwhile, if given);
    returns the recorder and the priorities' versions before."""
    before = priority_versions(cluster)
    recorder = Recorder()
    users, stop = start_users(
        councillors=args.councillors, officers=args.officers, tag=tag, recorder=recorder, **traffic
    )
    if during is not None:
        during(recorder)
    stop.wait(max(0, args.duration - recorder.now()))
    stop.set()
    for user in users:
        user.join(timeout=30)
    failures = [user.failure for user in users if user.failure] + [
        f"{user.name} still running" for user in users if user.is_alive()
    ]
    return recorder, before, failures


def load_check(cluster, traffic, args):
    say(f"Load: {args.councillors} councillors reading, {args.officers} officers rating, {args.duration} s")
    recorder, before, failures = drive(cluster, traffic, args, tag="load")
    result = {**summarise(recorder.events), **history(cluster, recorder.events, "load", before)}
    problems = failures + result.pop("problems")
    server_errors = {status: n for status, n in result["statuses"].items() if int(status) >= 500 or status == "0"}
    if server_errors:
        problems.append(f"server errors or no answer: {server_errors}")
    result |= {"problems": problems, "passed": not problems}
    report("Load", result)
    return result


def fault_check(cluster, traffic, args):
    fault_at = args.duration / 3
    say(f"Fault: the same load; PostgreSQL stopped at {fault_at:.0f} s for {args.outage:g} s, then started")
    marks = {}

    def restart(recorder):
        time.sleep(fault_at)
        marks["stop_began"] = recorder.now()
        cluster.ctl("stop")
        marks["stopped"] = recorder.now()
        time.sleep(args.outage)
        marks["start_began"] = recorder.now()
        cluster.ctl("start")
        marks["started"] = recorder.now()

    recorder, before, failures = drive(cluster, traffic, args, tag="fault", during=restart)
    events = recorder.events
    result = {**summarise(events), **history(cluster, events, "fault", before)}
    problems = failures + result.pop("problems")
    down, up = marks["stop_began"], marks["started"]
    errors = [event for event in events if event.status >= 500 or event.status == 0]
    unexpected = Counter(str(event.status) for event in errors if event.status != 503)
    if unexpected:
        problems.append(f"errors other than 503: {dict(unexpected)}")
    unclean = sum(not event.clean for event in errors)
    if unclean:
        problems.append(f"{unclean} error pages were not the clean 503 page")
    after = [event for event in events if event.start >= up]
    first_success = min((event.end for event in after if 200 <= event.status < 400), default=None)
    late_503s = [event for event in after if event.status == 503]
    # pg_ctlcluster returns some time after PostgreSQL starts taking connections.
    first_after_start = min(
        (event.end for event in events if event.start >= marks["start_began"] and 200 <= event.status < 400),
        default=None,
    )
    recovery = {
        "restart_s": round(up - down, 2),
        "first_success_after_start_began_s": round(first_after_start - marks["start_began"], 2)
        if first_after_start is not None
        else None,
        "first_success_after_restart_s": round(first_success - up, 2) if first_success is not None else None,
        "last_503_after_restart_s": round(max(event.end for event in late_503s) - up, 2) if late_503s else 0,
        "by_server": {
            str(port): round(
                min(event.end for event in after if event.port == port and 200 <= event.status < 400) - up, 2
            )
            for port in traffic["ports"]
            if any(event.port == port and 200 <= event.status < 400 for event in after)
        },
    }
    if first_success is None or recovery["last_503_after_restart_s"] > args.recovery_limit:
        problems.append(f"not recovered within {args.recovery_limit:g} s of the restart")
    result |= {
        "marks_s": {name: round(value, 2) for name, value in marks.items()},
        "responses_503": sum(event.status == 503 for event in events),
        "responses_503_after_restart": len(late_503s),
        "error_pages_clean": not unclean,
        "recovery": recovery,
        "timeline": timeline(events, down - 2, up + 5),
        "problems": problems,
        "passed": not problems,
    }
    report("Fault", result)
    return result


def summarise(events):
    return {
        "requests": len(events),
        "requests_per_s": round(len(events) / max(event.end for event in events), 1) if events else 0,
        "statuses": dict(sorted(Counter(str(event.status) for event in events).items())),
        "by_role": dict(Counter(event.role for event in events)),
        "rating_posts": dict(Counter(event.outcome for event in events if event.token)),
        "response_ms": response_times(events),
    }


def response_times(events):
    """Median, 95th percentile and slowest successful response, in ms, by kind of page."""
    by_page = {}
    for event in events:
        if 200 <= event.status < 400:
            page = event.method + " " + re.sub(r"/\d+/", "/<pk>/", event.path)
            by_page.setdefault(page, []).append((event.end - event.start) * 1000)
    figures = {}
    for page, times in sorted(by_page.items()):
        times.sort()
        figures[page] = {
            "n": len(times),
            "median": round(times[len(times) // 2]),
            "p95": round(times[min(len(times) - 1, int(len(times) * 0.95))]),
            "max": round(times[-1]),
        }
    return figures


def history(cluster, events, tag, before):
    """Every accepted update in the history exactly once, nothing refused written, and each
    priority's version moved on by exactly the number of updates written to it."""
    outcomes = {event.token: event.outcome for event in events if event.token}
    with cluster.connect(RECORD_DB) as connection:
        rows = connection.execute(
            "SELECT split_part(commentary, ' ', 1), priority_id, COUNT(*) FROM improvement_progressupdate "
            "WHERE commentary LIKE %s GROUP BY 1, 2",
            [f"{tag}-%"],
        ).fetchall()
    after = priority_versions(cluster)
    found = Counter()
    written_to = Counter()
    for token, priority, count in rows:
        found[token] += count
        written_to[priority] += count
    accepted = [token for token, outcome in outcomes.items() if outcome == "accepted"]
    refused = [token for token, outcome in outcomes.items() if outcome in ("conflict", "refused")]
    failed = [token for token, outcome in outcomes.items() if outcome == "failed"]
    figures = {
        "updates_accepted": len(accepted),
        "accepted_found_once": sum(found[token] == 1 for token in accepted),
        "accepted_missing": sum(found[token] == 0 for token in accepted),
        "written_more_than_once": sum(count > 1 for count in found.values()),
        "conflicts_refused": sum(outcome == "conflict" for outcome in outcomes.values()),
        "other_refusals": sum(outcome == "refused" for outcome in outcomes.values()),
        "refused_but_written": sum(found[token] > 0 for token in refused),
        "failed_posts": len(failed),
        # A POST whose answer was lost (503) may still have been saved whole before the outage:
        # the 503 page tells the officer to check the page before entering it again.
        "failed_posts_saved_whole": sum(found[token] > 0 for token in failed),
        "unknown_rows": sum(count for token, count in found.items() if token not in outcomes),
        "version_mismatches": sorted(pk for pk in after if after[pk] - before.get(pk, after[pk]) != written_to[pk]),
    }
    problems = [
        f"{name}: {figures[name]}"
        for name in ("accepted_missing", "written_more_than_once", "refused_but_written", "unknown_rows")
        if figures[name]
    ]
    if figures["version_mismatches"]:
        problems.append(f"priorities whose version and history disagree: {figures['version_mismatches']}")
    return figures | {"problems": problems}


def timeline(events, start, end):
    """Statuses per second around the outage: {second: {status: count}} by request start."""
    seconds = {}
    for event in events:
        if start <= event.start < end:
            second = str(int(event.start))
            seconds.setdefault(second, Counter())[str(event.status)] += 1
    return {second: dict(counts) for second, counts in sorted(seconds.items(), key=lambda item: int(item[0]))}


def backup_check(cluster, env, log_dir):
    say("Backup and restore: pg_dump of the loaded database, pg_restore into a fresh one")
    dump = log_dir / f"{RECORD_DB}.dump"
    started = time.monotonic()
    run(["pg_dump", "--format=custom", f"--file={dump}", cluster.url(RECORD_DB)])
    dumped = time.monotonic()
    cluster.create_database(RESTORED_DB)
    run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={cluster.url(RESTORED_DB)}", str(dump)])
    restored = time.monotonic()
    original = json.loads(manage("record_check", "--json", env=env))
    copy = json.loads(manage("record_check", "--json", env={**env, "DATABASE_URL": cluster.url(RESTORED_DB)}))
    differing = {
        table: [original["tables"].get(table), copy["tables"].get(table)]
        for table in sorted(original["tables"].keys() | copy["tables"].keys())
        if original["tables"].get(table) != copy["tables"].get(table)
    }
    problems = []
    if differing:
        problems.append(f"row counts differ: {differing}")
    if original["plan_sha256"] != copy["plan_sha256"]:
        problems.append("the plan's checksum differs")
    result = {
        "dump_bytes": dump.stat().st_size,
        "dump_s": round(dumped - started, 1),
        "restore_s": round(restored - dumped, 1),
        "tables": len(original["tables"]),
        "rows": sum(original["tables"].values()),
        "row_counts_match": not differing,
        "plan_sha256": {"original": original["plan_sha256"], "restored": copy["plan_sha256"]},
        "checksum_match": original["plan_sha256"] == copy["plan_sha256"],
        "row_counts": original["tables"],
        "problems": problems,
        "passed": not problems,
    }
    report("Backup", {key: value for key, value in result.items() if key != "row_counts"})
    return result


def report(name, result):
    shown = {key: value for key, value in result.items() if key != "timeline"}
    say(f"{name}: {'PASSED' if result['passed'] else 'FAILED'}\n{json.dumps(shown, indent=2)}")


def write_results(results):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reliability.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "reliability.md").write_text(markdown(results))
    say(f"Results: {RESULTS.relative_to(PROJECT)}/reliability.json and .md: {verdict(results)}")


def markdown(results):
    settings = results["settings"]
    lines = [
        "# Reliability checks",
        "",
        f"Run {results['started']} by `make reliability` (bench/reliability/run.py): PostgreSQL "
        f"{settings['postgresql']}, synthetic county at scale {settings['scale']}, two gunicorn instances, "
        f"{settings['councillors']} councillors and {settings['officers']} officers for {settings['duration_s']} s. "
        f"Overall: **{verdict(results)}**.",
    ]
    for check in ("load", "fault"):
        if check in results:
            lines += [f"\n## {check.capitalize()}: {verdict(results[check])}\n", "| figure | value |", "|---|---|"]
            lines += [f"| {label} | {value} |" for label, value in traffic_rows(results[check], settings)]
            lines += problems(results[check])
    if "fault" in results:
        lines += [
            "\nResponses per second of the fault check, by when the request started:\n",
            *outage_table(results["fault"]),
        ]
    if "backup" in results:
        result = results["backup"]
        lines += [
            f"\n## Backup and restore: {verdict(result)}\n",
            f"pg_dump (custom format) {result['dump_bytes'] / 1e6:.1f} MB in {result['dump_s']} s; pg_restore into "
            f"a fresh database in {result['restore_s']} s. {result['tables']} tables, {result['rows']:,} rows: "
            f"row counts {'match' if result['row_counts_match'] else 'DIFFER'}; plan sha256 "
            f"{'matches' if result['checksum_match'] else 'DIFFERS'} (`{result['plan_sha256']['original'][:16]}…`).",
            *problems(result),
        ]
    return "\n".join(lines) + "\n"


def outage_table(result):
    marks = {round(value): name.replace("_", " ") for name, value in result["marks_s"].items()}
    rows = ["| second | answered | 503 | other | |", "|---|---|---|---|---|"]
    for second, counts in result["timeline"].items():
        answered = sum(n for status, n in counts.items() if status.startswith(("2", "3")))
        unavailable = counts.get("503", 0)
        other = sum(counts.values()) - answered - unavailable
        rows.append(f"| {second} | {answered} | {unavailable} | {other} | {marks.get(int(second), '')} |")
    return rows


def verdict(result):
    return "passed" if result["passed"] else "FAILED"


def problems(result):
    return [""] + [f"- problem: {problem}" for problem in result["problems"]] if result["problems"] else []


def traffic_rows(result, settings):
    statuses = ", ".join(f"{status}: {n:,}" for status, n in result["statuses"].items())
    rows = [
        ("requests served", f"{result['requests']:,} ({result['requests_per_s']}/s)"),
        ("responses by status (0: no answer)", statuses),
        (
            "updates accepted / found once in the history",
            f"{result['updates_accepted']} / {result['accepted_found_once']}",
        ),
        (
            "conflicts refused (correctly) / other refusals",
            f"{result['conflicts_refused']} / {result['other_refusals']}",
        ),
        (
            "written twice / refused but written",
            f"{result['written_more_than_once']} / {result['refused_but_written']}",
        ),
        ("priorities whose version and history disagree", len(result["version_mismatches"])),
    ]
    if "recovery" in result:
        recovery = result["recovery"]
        rows += [
            (
                "rating POSTs answered 503 / saved whole",
                f"{result['failed_posts']} / {result['failed_posts_saved_whole']}",
            ),
            ("503 responses / all the clean 503 page", f"{result['responses_503']} / {result['error_pages_clean']}"),
            (f"restart: stop, {settings['outage_s']:g} s down, start", f"{recovery['restart_s']} s"),
            ("first success after the start began", f"{recovery['first_success_after_start_began_s']} s"),
            ("first success after the restart finished", f"{recovery['first_success_after_restart_s']} s"),
            ("503s after the restart finished", result["responses_503_after_restart"]),
        ]
    slowest = max(result["response_ms"].items(), key=lambda item: item[1]["median"], default=None)
    if slowest:
        rows.append(("slowest page (median / p95 ms)", f"{slowest[0]}: {slowest[1]['median']} / {slowest[1]['p95']}"))
    return rows


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, TimeoutError, subprocess.TimeoutExpired) as error:
        say(f"Reliability checks stopped: {error}")
        sys.exit(2)
