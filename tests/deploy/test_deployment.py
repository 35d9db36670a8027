"""The production configuration as deploy/ runs it: gunicorn (deploy/gunicorn.conf.py) behind
Debian's nginx with the site in deploy/nginx (TLS with a certificate made here), Redis for the
rate limits, and this run's database — PostgreSQL with 2 workers under TEST_DATABASE_URL,
otherwise a SQLite file with 1 worker — all on free loopback ports. Then it is driven as
residents, officers and cron would: over HTTPS, from different client addresses
(127.0.0.2, 127.0.0.3, … are all loopback)."""
import http.client
import os
import re
import secrets
import signal
import ssl
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pyotp
import pytest

from tests.inbox_support import TOTP_SECRET
from tests.servers import RedisServer, free_port, program, wait_for_port

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
API_LIMIT = 30  # API_RATE_LIMIT below: the default's 30, over a window long enough for a slow machine
FORCE, NEIGHBOURHOOD = "west-yorkshire", "E02002330"


class Client:
    """An HTTPS client with its own source address and cookies, as one browser would be."""

    def __init__(self, port, cafile, address="127.0.0.1"):
        self.port, self.address, self.cookies = port, address, {}
        self.context = ssl.create_default_context(cafile=cafile)
        self.connection = None

    def request(self, method, path, form=None, headers=None, body=None):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPSConnection("localhost", self.port, context=self.context,
                                                              source_address=(self.address, 0), timeout=30)
            sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
            if form is not None:
                body = urlencode(form, doseq=True)
                # As a browser posts a form: CSRF protection over HTTPS checks the Referer.
                sent.update({"Content-Type": "application/x-www-form-urlencoded",
                             "Referer": f"https://localhost:{self.port}{path}"})
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                response.text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection = None  # the server closed a kept-alive connection: once more
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, form, **kwargs):
        return self.request("POST", path, form=form, **kwargs)


def csrf_token(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)


def nginx_site(tmp, tls_port, http_port, app_port, cert, key):
    """deploy/nginx/npt-portal.conf with this machine's ports, paths and certificate."""
    site = (ROOT / "deploy" / "nginx" / "npt-portal.conf").read_text()
    replacements = {
        "    listen [::]:80;\n": "", "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{tls_port} ssl http2;",
        "/etc/letsencrypt/live/portal.example.police.uk/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/portal.example.police.uk/privkey.pem": str(key),
        "server_name portal.example.police.uk;": "server_name localhost;",
        "/srv/npt-portal/static/": f"{ROOT / 'static'}/",
        "127.0.0.1:8000": f"127.0.0.1:{app_port}",
        "shared:npt_portal_tls:10m": "off",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/npt-portal.conf no longer has {old!r}"
        site = site.replace(old, new)
    temp = tmp / "nginx-temp"
    temp.mkdir()
    main = f"""
        {'user root;' if os.geteuid() == 0 else ''}
        worker_processes 1;
        daemon off;
        pid {tmp}/nginx.pid;
        error_log {tmp}/nginx-error.log warn;
        events {{ worker_connections 256; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            access_log off;
            client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy;
            fastcgi_temp_path {temp}/fastcgi; uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
            {site}
        }}
    """
    (tmp / "nginx.conf").write_text(main)
    return tmp / "nginx.conf"


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def deployment(app, database_url, smtp_server, tmp_path):
    nginx = program("nginx", "/usr/sbin")
    openssl = program("openssl")
    pytest.importorskip("gunicorn")
    redis = RedisServer(tmp_path)
    started = []
    try:
        cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        postgres = database_url.startswith("postgresql")
        tls_port, http_port, app_port = free_port(), free_port(), free_port()
        env = {**os.environ,
               "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
               "PUBLIC_BASE_URL": f"https://localhost:{tls_port}",
               "DATABASE_URL": database_url if postgres else f"sqlite:///{tmp_path / 'portal.db'}",
               "RATELIMIT_STORAGE_URI": redis.url, "PROXY_COUNT": "1",
               "API_RATE_LIMIT": f"{API_LIMIT} per 30 seconds",
               "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(app.config["MAIL_PORT"]),
               "UPLOAD_FOLDER": str(tmp_path / "uploads"), "TILE_CACHE_DIR": str(tmp_path / "tiles"),
               "GUNICORN_BIND": f"127.0.0.1:{app_port}", "WEB_CONCURRENCY": "2" if postgres else "1",
               "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("TEST_DATABASE_URL", None)
        flask = [sys.executable, "-m", "flask", "--app", "app"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
        _add_team_and_officer(env["DATABASE_URL"])

        gunicorn_log = open(tmp_path / "gunicorn.log", "w")
        gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                     "app:create_app()"], cwd=ROOT, env=env, stdout=gunicorn_log, stderr=subprocess.STDOUT)
        started.append(gunicorn)
        wait_for_port(app_port, gunicorn, timeout=60)
        conf = nginx_site(tmp_path, tls_port, http_port, app_port, cert, key)
        proxy = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "nginx-error.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append(proxy)
        wait_for_port(tls_port, proxy)
        yield {"env": env, "tls_port": tls_port, "http_port": http_port, "cafile": str(cert), "postgres": postgres,
               "log": tmp_path / "gunicorn.log", "smtp": smtp_server, "flask": flask}
    finally:
        for process in reversed(started):
            stop(process)
        redis.stop()


def _add_team_and_officer(database_url):
    from app import create_app
    from app.extensions import db
    from config import TestConfig
    from tests.factories import make_area
    from tests.inbox_support import make_user

    class Deployed(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    with create_app(Deployed).app_context():
        team = make_area(force_id=FORCE, neighbourhood_id=NEIGHBOURHOOD)
        make_user("pc@example.org", teams=[team], name="PC Jones")
        db.session.remove()
        db.engine.dispose()


def test_the_production_deployment_serves_limits_takes_messages_and_runs_its_jobs(deployment):
    port, cafile = deployment["tls_port"], deployment["cafile"]
    resident = Client(port, cafile, "127.0.0.2")

    # Over TLS through nginx: HSTS, Secure cookies, a request id; plain HTTP is sent to HTTPS.
    home = resident.get("/")
    assert home.status == 200 and home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert re.fullmatch(r"[0-9a-f]{32}", home.headers["X-Request-Id"])
    sign_in_page = resident.get("/staff/sign-in")
    cookie = next(c for c in sign_in_page.headers.get_all("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    plain = http.client.HTTPConnection("127.0.0.1", deployment["http_port"], timeout=10)
    plain.request("GET", "/teams", headers={"Host": "localhost"})
    redirect = plain.getresponse()
    assert redirect.status == 301 and redirect.headers["Location"] == "https://localhost/teams"
    assert resident.get("/", headers={"Host": "attacker.example"}).status in (400, 404)

    # Static files come from nginx (no request id: the app never saw them), fingerprinted for a year.
    stylesheet_url = re.search(r'href="(/static/css/portal\.css\?v=[0-9a-f]+)"', home.text).group(1)
    stylesheet = resident.get(stylesheet_url)
    assert stylesheet.status == 200 and "X-Request-Id" not in stylesheet.headers
    assert stylesheet.headers["Cache-Control"] == "public, max-age=31536000, immutable"

    # The API limit: one client alone gets exactly API_LIMIT through, across every worker (the
    # counters are in Redis), and a forged X-Forwarded-For does not buy it a new allowance;
    # a second client behind the same proxy is not limited by the first.
    first = Client(port, cafile, "127.0.0.3")
    statuses = [first.get("/api/forces").status for _ in range(API_LIMIT + 10)]
    forged = first.get("/api/forces", headers={"X-Forwarded-For": "198.51.100.23"})
    second = Client(port, cafile, "127.0.0.4")
    second_statuses = [second.get("/api/forces").status for _ in range(5)]
    print(f"\nthrough nginx ({'PostgreSQL, 2 workers' if deployment['postgres'] else 'SQLite, 1 worker'}): "
          f"first client {statuses.count(200)} of {len(statuses)} let through, then 429 with Retry-After "
          f"{forged.headers.get('Retry-After')}; forged X-Forwarded-For {forged.status}; "
          f"second client {second_statuses.count(200)} of {len(second_statuses)}")
    assert statuses == [200] * API_LIMIT + [429] * 10
    assert forged.status == 429 and int(forged.headers["Retry-After"]) >= 1
    assert second_statuses == [200] * 5

    # A phone photo over the report form's limit reaches the app through nginx and is answered
    # beside the field with what was typed kept (not nginx's bare 413); other forms keep nginx's limit.
    report_form = resident.get("/report-a-problem")
    boundary = "----portal-test-boundary"
    parts = [(name, value) for name, value in {
        "csrf_token": csrf_token(report_form), "name": "Alex Resident", "contact_by": "email",
        "email": "alex@example.org", "phone": "", "problem_type": "speeding",
        "description": "Cars race down Elm Street after school.", "place": "LS1 1AZ", "latitude": "",
        "longitude": "", "website": ""}.items()]
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                    for name, value in parts)
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="photo.jpg"\r\n'
             f"Content-Type: image/jpeg\r\n\r\n").encode() + b"\xff\xd8" + b"0" * (12 * 1024 * 1024)
    body += f"\r\n--{boundary}--\r\n".encode()
    too_large = resident.request("POST", "/report-a-problem", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Referer": f"https://localhost:{port}/report-a-problem"})
    assert too_large.status == 400 and "The photo must be smaller than 8 MB" in too_large.text
    assert "Cars race down Elm Street after school." in too_large.text
    contact_too_large = resident.request("POST", f"/teams/{FORCE}/{NEIGHBOURHOOD}/contact", body=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert contact_too_large.status == 413

    # A resident's message is taken, and the officer sees it in the team inbox.
    contact = f"/teams/{FORCE}/{NEIGHBOURHOOD}/contact"
    form = resident.get(contact)
    sent = resident.post(contact, {"csrf_token": csrf_token(form), "name": "Alex Resident", "contact_by": "email",
                                   "email": "alex@example.org", "phone": "", "subject": "Cars on the pavement",
                                   "body": "Every evening on Elm Street.", "urgent": "no", "website": ""})
    assert sent.status == 302, sent.text[:500]
    reference = re.search(r"NPT-[0-9A-Z]+", resident.get(sent.headers["Location"]).text).group(0)
    officer = Client(port, cafile, "127.0.0.5")
    signed_in = officer.post("/staff/sign-in", {"csrf_token": csrf_token(officer.get("/staff/sign-in")),
                                                "email": "pc@example.org", "password": "correct horse battery"})
    assert signed_in.status == 302 and "/staff/sign-in/code" in signed_in.headers["Location"]
    code_form = officer.get("/staff/sign-in/code")
    second_step = officer.post("/staff/sign-in/code", {"csrf_token": csrf_token(code_form),
                                                       "code": pyotp.TOTP(TOTP_SECRET).now()})
    assert second_step.status == 302, second_step.text[:500]
    inbox = officer.get("/staff/inbox/")
    team_inbox = re.search(r'href="(/staff/inbox/teams/\d+)"', inbox.text).group(1)
    assert "Cars on the pavement" in officer.get(team_inbox).text

    # The cron jobs, each started twice at once: every run exits 0, and the receipt goes once.
    jobs = [("inbox", "escalate"), ("inbox", "send-mail"), ("alerts", "send")] * 2
    runs = [subprocess.Popen([*deployment["flask"], *job], cwd=ROOT, env=deployment["env"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for job in jobs]
    results = [(run.wait(timeout=180), run.stdout.read(), run.stderr.read()) for run in runs]
    assert [code for code, _out, err in results] == [0] * len(jobs), results
    assert not any("Traceback" in err for _code, _out, err in results), results
    receipts = deployment["smtp"].to("alex@example.org")
    assert len(receipts) == 1 and reference in receipts[0]["Subject"]

    # One log line per request, with its request id; no stack traces.
    time.sleep(0.5)
    log = deployment["log"].read_text()
    assert len(re.findall(rf"\[{home.headers['X-Request-Id']}\]", log)) == 1
    assert "Traceback" not in log
