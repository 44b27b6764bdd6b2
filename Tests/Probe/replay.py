"""Replays, against a running Blankett with the demo data, the probes of the
security review (issue 12) that found 500s, lockouts, missing headers and
leaks. Every probe states what it expects; the script prints each result and
exits 1 when any fails. Run by scripts/probe, which starts the server and
hands over its address and two API tokens in the environment.

    PROBE_URL            the server, e.g. http://127.0.0.1:8123
    PROBE_EDITOR_TOKEN   an API token of handlaggare@botkyrka.example
    PROBE_OTHER_TOKEN    an API token of handlaggare@huddinge.example
"""

import concurrent.futures
import os
import re
import secrets
import sys

import requests

URL = os.environ["PROBE_URL"].rstrip("/")
EDITOR = {"Authorization": "Bearer " + os.environ["PROBE_EDITOR_TOKEN"]}
OTHER = {"Authorization": "Bearer " + os.environ["PROBE_OTHER_TOKEN"]}
PASSWORD = "blankett-demo"
FOREIGN_ORIGIN = "https://angripare.example"

failures = []
probes = 0


def check(condition, what, detail=""):
    global probes
    probes += 1
    mark = "ok  " if condition else "FAIL"
    print(f"{mark} {what}" + (f" ({detail})" if detail and not condition else ""))
    if not condition:
        failures.append(what)


def headers_ok(response):
    """The headers every response carries, whatever its status."""
    h = response.headers
    csp = h.get("Content-Security-Policy", "")
    missing = [name for name, ok in [
        ("CSP frame-ancestors 'none'", "frame-ancestors 'none'" in csp),
        ("CSP without inline script", "'unsafe-inline'" not in csp and "default-src 'none'" in csp),
        ("X-Frame-Options", h.get("X-Frame-Options") == "DENY"),
        ("X-Content-Type-Options", h.get("X-Content-Type-Options") == "nosniff"),
        ("Referrer-Policy", bool(h.get("Referrer-Policy"))),
    ] if not ok]
    return missing


def login_form(session, email, password, origin=None):
    headers = {"Origin": origin} if origin else {}
    return session.post(URL + "/login", data={"email": email, "password": password}, headers=headers, allow_redirects=False)


def signed_in(email):
    session = requests.Session()
    reply = login_form(session, email, PASSWORD)
    assert reply.status_code == 303, f"login of {email}: {reply.status_code}"
    page = session.get(URL + "/").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    session.csrf = csrf.group(1) if csrf else ""
    return session


def no_server_error(response, what):
    check(response.status_code < 500, f"{what}: not a server error", f"{response.status_code} {response.text[:200]}")


# 1. Headers on pages, the API, errors and not-found.
for method, path, headers in [("GET", "/login", {}), ("GET", "/", {}), ("GET", "/finns-inte", {}),
                              ("GET", "/api/v1/cases", {}), ("GET", "/api/v1/cases", EDITOR),
                              ("TRACE", "/api/v1/cases", EDITOR), ("GET", "/api/v1/openapi.yaml", {}),
                              ("GET", "/verify/ABCD", {})]:
    response = requests.request(method, URL + path, headers=headers, allow_redirects=False)
    missing = headers_ok(response)
    check(not missing, f"{method} {path} ({response.status_code}) carries the security headers", ", ".join(missing))

# 2. Login CSRF: a sign-in posted from another site is refused before any password is checked.
reply = login_form(requests.Session(), "chef@botkyrka.example", PASSWORD, origin=FOREIGN_ORIGIN)
check(reply.status_code == 403 and "Set-Cookie" not in reply.headers, "login from a foreign Origin is 403 without a session", str(reply.status_code))

# 3. Input that used to answer 500.
for email, what in [("a\x00b", "an e-mail with NUL"), ("a" * 2800 + "@botkyrka.example", "an e-mail of 2 800 characters")]:
    reply = login_form(requests.Session(), email, "fel")
    no_server_error(reply, f"login with {what}")
    check(reply.status_code in (401, 422, 429), f"login with {what} is refused as bad input", str(reply.status_code))

cases = requests.get(URL + "/api/v1/cases", headers=EDITOR).json()["cases"]
draft = next(case for case in cases if case["state"] == "draft")
draft_id = draft["id"]
step = requests.get(f"{URL}/api/v1/cases/{draft_id}/steps/kontaktuppgifter", headers=EDITOR).json()
version = step["answersVersion"]
for value, what in [("Botkyrka\x00", "a NUL"), ("B" * 20001, "20 001 characters"), ("Bot\x1bkyrka", "an escape character")]:
    reply = requests.put(f"{URL}/api/v1/cases/{draft_id}/steps/kontaktuppgifter", headers=EDITOR,
                         json={"answersVersion": version, "answers": {**step["answers"], "kommun": value}})
    check(reply.status_code == 422 and reply.headers.get("Content-Type", "").startswith("application/problem+json"),
          f"an answer with {what} is 422 problem+json", f"{reply.status_code} {reply.text[:200]}")
after = requests.get(f"{URL}/api/v1/cases/{draft_id}/steps/kontaktuppgifter", headers=EDITOR).json()
check(after["answersVersion"] == version and after["answers"] == step["answers"], "nothing of a refused save is stored")

reply = requests.put(f"{URL}/api/v1/cases/{draft_id}/steps/kontaktuppgifter", headers={**EDITOR, "Content-Type": "application/json"},
                     data=b'{"answersVersion": 1, "answers": {"kommun": "' + b"x" * 300_000 + b'"}}')
check(reply.status_code == 413, "a body over 256 KiB is 413", str(reply.status_code))

# The pages: a NUL in a form field is 422 with the Swedish error page, not 409 or 500.
editor = signed_in("handlaggare@botkyrka.example")
page = editor.get(f"{URL}/cases/{draft_id}/steps/kontaktuppgifter").text
version_field = re.search(r'name="version" value="(\d+)"', page)
reply = editor.post(f"{URL}/cases/{draft_id}/steps/kontaktuppgifter", allow_redirects=False,
                    data={"csrf": editor.csrf, "version": version_field.group(1) if version_field else "0", "kommun": "Botkyrka\x00"})
check(reply.status_code == 422, "a NUL typed into a page is 422", str(reply.status_code))
reply = editor.post(f"{URL}/cases/{draft_id}/steps/kontaktuppgifter", allow_redirects=False,
                    headers={"Origin": FOREIGN_ORIGIN}, data={"csrf": editor.csrf, "kommun": "Botkyrka"})
check(reply.status_code == 403, "a page save from a foreign Origin is 403", str(reply.status_code))

# The API with the session cookie: a change needs the CSRF token and a same-site Origin.
reply = editor.put(f"{URL}/api/v1/cases/{draft_id}/steps/kontaktuppgifter", json={"answersVersion": version, "answers": step["answers"]})
check(reply.status_code == 403, "an API change with the cookie and no CSRF token is 403", str(reply.status_code))

# 4. Another kommun's ids: nothing of Botkyrka is visible or changeable for Huddinge.
botkyrka = next(org["id"] for org in requests.get(URL + "/api/v1/me", headers=EDITOR).json()["organisations"])
for method, path, body in [("GET", f"/api/v1/cases/{draft_id}", None),
                           ("GET", f"/api/v1/cases/{draft_id}/steps/kontaktuppgifter", None),
                           ("GET", f"/api/v1/cases/{draft_id}/validation", None),
                           ("PUT", f"/api/v1/cases/{draft_id}/steps/kontaktuppgifter", {"answersVersion": version, "answers": {}}),
                           ("POST", f"/api/v1/cases/{draft_id}/transitions/mark_ready", {}),
                           ("GET", f"/api/v1/cases?organisation={botkyrka}", None)]:
    reply = requests.request(method, URL + path, headers=OTHER, json=body)
    leaked = "Botkyrka" in reply.text or draft_id in reply.text and method == "GET" and reply.status_code == 200
    check(reply.status_code == 404 and not leaked, f"Huddinge's {method} {path.replace(draft_id, '{botkyrka case}')} is 404", f"{reply.status_code} {reply.text[:200]}")
# An administrator of Botkyrka enrolling a Huddinge address sends an invitation and shows nothing of the person.
administrator = signed_in("admin@botkyrka.example")
reply = administrator.post(f"{URL}/admin/{botkyrka}/users", allow_redirects=False,
                           data={"csrf": administrator.csrf, "email": "handlaggare@huddinge.example", "role": "editor"})
page = administrator.get(f"{URL}/admin/{botkyrka}").text
check(reply.status_code == 303 and "inbjuden" in reply.headers.get("Location", "") and "Nils Sjö" not in page,
      "enrolling another kommun's person is an invitation that reveals nothing", f"{reply.status_code} {reply.headers.get('Location')}")
huddinge = signed_in("handlaggare@huddinge.example")
invitation = re.search(r"/invitations/([0-9a-f-]{36})/accept", huddinge.get(URL + "/").text)
check(invitation is not None, "the invited person sees the invitation on their dashboard")
if invitation:
    reply = administrator.post(f"{URL}/invitations/{invitation.group(1)}/accept", data={"csrf": administrator.csrf}, allow_redirects=False)
    check(reply.status_code == 404, "nobody but the invited person can accept it", str(reply.status_code))
    reply = huddinge.post(f"{URL}/invitations/{invitation.group(1)}/decline", data={"csrf": huddinge.csrf}, allow_redirects=False)
    check(reply.status_code == 303, "the invited person can decline it", str(reply.status_code))
reply = huddinge.get(f"{URL}/cases/{draft_id}")
check(reply.status_code == 404 and "Botkyrka" not in reply.text, "Huddinge's page of a Botkyrka case is 404", str(reply.status_code))

# 5. Parallel wrong passwords for one real account: the limit holds under concurrency,
# nothing answers 500, and the owner still gets in afterwards (a delay, not a lock).
def wrong(_):
    return login_form(requests.Session(), "ordforande@botkyrka.example", "fel-" + secrets.token_hex(4)).status_code

with concurrent.futures.ThreadPoolExecutor(max_workers=21) as pool:
    statuses = list(pool.map(wrong, range(21)))
check(all(status < 500 or status == 503 for status in statuses), "21 parallel wrong passwords: no 500", str(statuses))
check(any(status in (429, 503) for status in statuses), "21 parallel wrong passwords: the limit refuses some", str(statuses))

# 6. Many addresses from one client: the per-client limit refuses some of 50.
statuses = [login_form(requests.Session(), f"ingen{n}@example.org", "fel").status_code for n in range(50)]
check(any(status == 429 for status in statuses) and all(status < 500 for status in statuses),
      "50 addresses from one client: the client limit refuses some", str(sorted(set(statuses))))

# 7. /verify: guessing codes is rate limited and never a 500.
statuses = [requests.get(f"{URL}/verify/{secrets.token_hex(8)}").status_code for _ in range(40)]
check(429 in statuses and all(status < 500 for status in statuses), "40 guessed /verify codes: rate limited", str(sorted(set(statuses))))

# 8. /readyz names no host or port.
ready = requests.get(URL + "/readyz")
check(ready.status_code == 200 and "127.0.0.1" not in ready.text and "5432" not in ready.text, "/readyz names no host")

print(f"{probes} probes, {len(failures)} failed")
sys.exit(1 if failures else 0)
