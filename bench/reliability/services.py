"""What the checks run against: a throwaway PostgreSQL cluster of their own (Debian's
postgresql-common tools), which the fault check may stop and start without touching any other
cluster, and gunicorn instances started with production settings."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def run(command, *, env=None, timeout=300):
    """Run a command, failing loudly with its output if it fails."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=PROJECT)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def port_in_use(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Cluster:
    """A PostgreSQL cluster made for this run and dropped at its end (trust auth, localhost)."""

    def __init__(self, *, name, port, version=None):
        if not shutil.which("pg_createcluster"):
            raise RuntimeError("pg_createcluster not found: the checks need Debian's postgresql-common tools.")
        self.name = name
        self.port = port
        self.version = version or sorted(os.listdir("/etc/postgresql"), key=float)[-1]

    def exists(self):
        return (Path("/etc/postgresql") / self.version / self.name).exists()

    def create(self):
        if self.exists():
            # Left over from an interrupted run of this check: it is ours by its name.
            self.drop()
        if port_in_use(self.port):
            raise RuntimeError(f"Port {self.port} is in use; choose another with --pg-port.")
        run(["pg_createcluster", self.version, self.name, "--port", str(self.port), "--", "--auth=trust"])
        self.ctl("start")

    def ctl(self, verb):
        run(["pg_ctlcluster", self.version, self.name, verb], timeout=120)

    def drop(self):
        run(["pg_dropcluster", "--stop", self.version, self.name], timeout=120)

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database="postgres"):
        return psycopg.connect(self.url(database), autocommit=True)

    def create_database(self, database):
        with self.connect() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
            connection.execute(f'CREATE DATABASE "{database}"')


def production_env(database_url, **extra):
    """The environment of a production deployment behind a TLS proxy, on this database."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        **extra,
    }


def manage(*arguments, env, timeout=600):
    return run([PYTHON, "manage.py", *arguments], env=env, timeout=timeout)


class Gunicorn:
    """One app server: gunicorn with the project's gunicorn.conf.py on its own port."""

    def __init__(self, *, port, env, log_dir):
        self.port = port
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        self.log_path = Path(log_dir) / f"gunicorn-{port}.log"
        self.process = None

    def start(self, timeout=60):
        if port_in_use(self.port):
            raise RuntimeError(f"Port {self.port} is in use; choose others with --ports.")
        gunicorn = Path(PYTHON).with_name("gunicorn")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "--config", "gunicorn.conf.py", "config.wsgi"],
                cwd=PROJECT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn on {self.port} did not answer within {timeout} s; see {self.log_path}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
