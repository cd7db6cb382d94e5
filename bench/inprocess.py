"""Measure each page in process, with Django's test client, against the database DATABASE_URL
names (a synthetic county): queries per request, and the median and 95th percentile render time
over repeated requests, both as served (what the record cache holds included) and as the first
request after a change to the record finds it (nothing cached). Prints JSON on stdout: the
figures, and what the load generator needs (a signed-in session, a CSRF secret, the priorities
the rating POST rates and their versions).

Run by bench/run.py, once per scale: `python -m bench.inprocess --repeat 30`.
"""

import argparse
import json
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from bench.pages import USERNAME, pages, rating_post  # noqa: E402
from config import record_cache  # noqa: E402
from config.models import RecordVersion  # noqa: E402
from config.roles import OFFICERS  # noqa: E402
from improvement.models import Priority  # noqa: E402


def percentile(values, fraction):
    """The nearest-rank percentile: the smallest value at or above `fraction` of them."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def requests_of(client, page):
    """A function that readies the page's next request and returns it, to be sent and timed.
    A POST is readied as a browser readies it, with the version the form last showed: that
    look-up is the browser's part, so it stays outside what is counted and timed."""
    if not page.is_post:
        return lambda: lambda: client.get(page.url)
    priority, sent = page.rates[0], []

    def ready():
        version = Priority.objects.values_list("version", flat=True).get(pk=priority.pk)
        sent.append(version)
        data = rating_post(priority, version, len(sent))
        return lambda: client.post(page.url, data)

    return ready


def measure(client, page, repeat, budget):
    ready = requests_of(client, page)
    expected = 302 if page.is_post else 200
    for _ in range(2):  # warm: templates compiled, connection open
        ready()()
    send = ready()
    with CaptureQueriesContext(connection) as queries:
        response = send()
    # Read now: the next request's start clears the connection's log of queries.
    count = len(queries)
    if response.status_code != expected:
        raise SystemExit(f"{page.name} ({page.url}) answered {response.status_code}, not {expected}")
    timings = []
    # A page that takes seconds is timed fewer times (three at least), so that the run stays bounded.
    deadline = time.monotonic() + budget
    while len(timings) < repeat and (len(timings) < 3 or time.monotonic() < deadline):
        send = ready()
        started = time.perf_counter()
        response = send()
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != expected:
            raise SystemExit(f"{page.name} ({page.url}) answered {response.status_code}, not {expected}")
    result = {
        "name": page.name,
        "url": page.url,
        "method": "POST" if page.is_post else "GET",
        "queries": count,
        "bytes": len(response.content),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "requests": len(timings),
    }
    if not page.is_post:
        result["cold"] = measure_cold(client, page, repeat, budget)
    return result


def changed():
    """What any write to the record does to a cached page: the record's token is replaced."""
    with connection.cursor() as cursor:
        cursor.execute(record_cache.new_token(connection.vendor, RecordVersion.RECORD))


def measure_cold(client, page, repeat, budget):
    """The page as the first request after a change to the record finds it, nothing cached."""
    changed()
    with CaptureQueriesContext(connection) as queries:
        client.get(page.url)
    count = len(queries)
    timings = []
    deadline = time.monotonic() + budget
    while len(timings) < repeat and (len(timings) < 3 or time.monotonic() < deadline):
        changed()
        started = time.perf_counter()
        client.get(page.url)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "queries": count,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "requests": len(timings),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--budget", type=float, default=20, help="seconds of timed requests a page, at most")
    args = parser.parse_args()

    user = get_user_model().objects.get(username=USERNAME)
    if not user.groups.filter(name=OFFICERS).exists():
        raise SystemExit(f"{USERNAME} is not an officer: rebuild the synthetic database.")
    client = Client()
    client.force_login(user)
    measured = []
    for page in pages(args.connections):
        result = measure(client, page, args.repeat, args.budget)
        cold = result.get("cold") or result
        print(
            f"  {result['name']}: {result['queries']} queries, {result['median_ms']} ms; after a change "
            f"{cold['queries']} queries, {cold['median_ms']} ms",
            file=sys.stderr,
        )
        measured.append(result)

    # A session of its own for the load generator, and a CSRF secret it sends as cookie and field.
    http = Client()
    http.force_login(user)
    post = next(page for page in pages(args.connections) if page.is_post)
    versions = dict(Priority.objects.filter(pk__in=[p.pk for p in post.rates]).values_list("pk", "version"))
    json.dump(
        {
            "pages": measured,
            "session": http.cookies["sessionid"].value,
            "csrf": get_random_string(32),
            "rates": [
                {"path": reverse("improvement:priority_rate", args=[p.pk]), "version": versions[p.pk]}
                for p in post.rates
            ],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
