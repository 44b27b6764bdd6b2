"""A real OpenID Provider on loopback for Blankett's tests and scripts/dev.

Built on pyop (the OP library behind SATOSA's OIDC frontend): pyop parses
and checks the authentication requests, issues codes, verifies PKCE and the
client's secret at the token endpoint and signs the ID tokens. What is ours:
the HTTP wiring (http.server), a login form, the users, and a few controls a
test needs and a real provider would not offer:

  POST /test/rotate            sign with a new key (new kid) from now on
  POST /test/tamper?claim=…    the next ID token comes out wrong in one way:
                               aud, iss, exp, nonce, signature, acr or auth_time
  GET  /test/stats             how often the JWKS and the token endpoint were asked

Usage: provider.py --port PORT --client-id ID --client-secret SECRET
                   --redirect-uri URI [--redirect-uri URI …] --users FILE --tls-dir DIR
It serves https (OpenID Connect requires it, and oic checks): a self-signed
certificate for 127.0.0.1 is made in DIR (cert.pem, key.pem) unless there is
one; a client trusts DIR/cert.pem.
The users file is JSON: {"login": {"password": …, "email": …, "name": …,
"acr": "http://id.elegnamnden.se/loa/1.0/loa3"}, …}. Prints "ready PORT" when
it listens.
"""

import argparse
import datetime
import html
import ipaddress
import json
import os
import secrets
import signal
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from Cryptodome.PublicKey import RSA
from jwkest.jwk import RSAKey
from oic.oic.message import IdToken
from pyop.authz_state import AuthorizationState
from pyop.exceptions import (InvalidAuthenticationRequest, InvalidClientAuthentication, OAuthError)
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


def new_key():
    return RSAKey(key=RSA.generate(2048), alg="RS256", kid="key-" + secrets.token_hex(4))


class State:
    def __init__(self, arguments, users):
        self.lock = threading.Lock()
        self.users = users
        self.issuer = f"https://127.0.0.1:{arguments.port}"
        self.key = new_key()
        self.tamper = None
        self.claims_by_code = {}
        self.stats = {"jwks": 0, "token": 0}
        configuration = {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "end_session_endpoint": self.issuer + "/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
            "claims_supported": ["sub", "email", "name", "acr", "auth_time", "sid"],
            "acr_values_supported": [LOA2, LOA3],
            "code_challenge_methods_supported": ["S256"],
        }
        clients = {arguments.client_id: {
            "client_secret": arguments.client_secret,
            "redirect_uris": arguments.redirect_uri,
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            "post_logout_redirect_uris": arguments.post_logout_redirect_uri or [],
        }}
        userinfo = Userinfo({login: {"email": user["email"], "name": user.get("name", login)} for login, user in users.items()})
        self.provider = Provider(self.key, configuration,
                                 AuthorizationState(HashBasedSubjectIdentifierFactory(secrets.token_hex(16))),
                                 clients, userinfo, id_token_lifetime=300)

    def rotate(self):
        with self.lock:
            self.key = new_key()
            self.provider.signing_key = self.key

    def tampered(self, id_token):
        """The ID token re-issued with one thing wrong (pyop's own classes sign it)."""
        mode, self.tamper = self.tamper, None
        if mode is None:
            return id_token
        claims = IdToken().from_jwt(id_token, keyjar=None, verify=False).to_dict()
        key = self.key
        if mode == "aud":
            claims["aud"] = ["someone-else"]
        elif mode == "iss":
            claims["iss"] = "http://127.0.0.1:1/other"
        elif mode == "exp":
            claims["iat"] = int(time.time()) - 3600
            claims["exp"] = int(time.time()) - 1800
        elif mode == "nonce":
            claims["nonce"] = "not-the-one-sent"
        elif mode == "acr":
            claims["acr"] = LOA2
        elif mode == "auth_time":
            # An earlier single sign-on, not the fresh authentication asked for.
            claims["auth_time"] = int(time.time()) - 3600
        elif mode == "signature":
            # Signed by a key of the same name that the JWKS does not hold.
            key = RSAKey(key=RSA.generate(2048), alg="RS256", kid=self.key.kid)
        return IdToken(**claims).to_jwt([key], "RS256")


def tls_context(folder):
    """A server context with a self-signed certificate for 127.0.0.1 (made once)."""
    certificate, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    if not os.path.exists(certificate):
        os.makedirs(folder, exist_ok=True)
        private = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Blankett test provider")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(now + datetime.timedelta(days=365))
                .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), critical=False)
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(private, hashes.SHA256()))
        with open(key, "wb") as file:
            file.write(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        with open(certificate, "wb") as file:
            file.write(cert.public_bytes(serialization.Encoding.PEM))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    return context


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            sys.stderr.write("provider: " + (format % args) + "\n")

        def send(self, status, body, content_type="application/json", headers=()):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def redirect(self, location):
            self.send(303, "", "text/plain", [("Location", location)])

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length).decode()

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/.well-known/openid-configuration":
                self.send(200, state.provider.provider_configuration.to_json())
            elif url.path == "/jwks":
                with state.lock:
                    state.stats["jwks"] += 1
                self.send(200, json.dumps(state.provider.jwks))
            elif url.path == "/authorize":
                self.authorize(url.query)
            elif url.path == "/logout":
                query = dict(urllib.parse.parse_qsl(url.query))
                target = query.get("post_logout_redirect_uri")
                if target:
                    self.redirect(target)
                else:
                    self.send(200, "<p>Utloggad.</p>", "text/html; charset=utf-8")
            elif url.path == "/test/stats":
                with state.lock:
                    self.send(200, json.dumps(state.stats))
            else:
                self.send(404, json.dumps({"error": "not_found"}))

        def authorize(self, query, problem=""):
            try:
                request = state.provider.parse_authentication_request(query)
            except InvalidAuthenticationRequest as error:
                self.send(400, json.dumps({"error": "invalid_request", "error_description": str(error)}))
                return
            acr = dict(urllib.parse.parse_qsl(query)).get("acr_values", "")
            page = f"""<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Testinloggning</title></head>
<body><main><h1>Testkommunens inloggning</h1>
{f'<p role="alert">{html.escape(problem)}</p>' if problem else ''}
<form method="post" action="/login">
<input type="hidden" name="request" value="{html.escape(query)}">
<label for="username">Användarnamn</label> <input id="username" name="username" autocomplete="username">
<label for="password">Lösenord</label> <input id="password" name="password" type="password" autocomplete="current-password">
<p>Begärd tillitsnivå: {html.escape(acr or 'ingen')}</p>
<button type="submit">Logga in</button></form></main></body></html>"""
            self.send(200, page, "text/html; charset=utf-8")

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/login":
                form = dict(urllib.parse.parse_qsl(self.body()))
                query = form.get("request", "")
                login = form.get("username", "")
                user = state.users.get(login)
                if user is None or not secrets.compare_digest(user["password"].encode(), form.get("password", "").encode()):
                    self.authorize(query, "Fel användarnamn eller lösenord.")
                    return
                request = state.provider.parse_authentication_request(query)
                # As Entra ID and ADFS do when asked: who the person is, in the ID token itself.
                claims = {"acr": user.get("acr", LOA3), "auth_time": int(time.time()), "sid": "sid-" + secrets.token_hex(8),
                          "email": user["email"], "name": user.get("name", login)}
                response = state.provider.authorize(request, login)
                # pyop (not stateless) takes the ID token's extra claims at the token endpoint: kept by code until then.
                with state.lock:
                    state.claims_by_code[response["code"]] = claims
                self.redirect(response.request(request["redirect_uri"]))
            elif url.path == "/token":
                with state.lock:
                    state.stats["token"] += 1
                body = self.body()
                code = dict(urllib.parse.parse_qsl(body)).get("code", "")
                with state.lock:
                    claims = state.claims_by_code.pop(code, {})
                try:
                    response = state.provider.handle_token_request(body, self.headers, extra_id_token_claims=claims)
                except InvalidClientAuthentication as error:
                    self.send(401, json.dumps({"error": "invalid_client", "error_description": str(error)}))
                    return
                except OAuthError as error:
                    self.send(400, json.dumps({"error": error.oauth_error, "error_description": str(error)}))
                    return
                tokens = response.to_dict()
                with state.lock:
                    tokens["id_token"] = state.tampered(tokens["id_token"])
                self.send(200, json.dumps(tokens))
            elif url.path == "/test/rotate":
                state.rotate()
                self.send(200, json.dumps({"kid": state.key.kid}))
            elif url.path == "/test/tamper":
                with state.lock:
                    state.tamper = dict(urllib.parse.parse_qsl(url.query)).get("claim")
                self.send(200, json.dumps({"tamper": state.tamper}))
            else:
                self.send(404, json.dumps({"error": "not_found"}))

    return Handler


def main():
    # A test process may block or ignore SIGTERM (a server's own signal
    # handling), and exec keeps both: stop on SIGTERM whatever was inherited.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--post-logout-redirect-uri", action="append")
    parser.add_argument("--users", required=True)
    parser.add_argument("--tls-dir", required=True)
    arguments = parser.parse_args()
    with open(arguments.users, encoding="utf-8") as file:
        users = json.load(file)
    state = State(arguments, users)
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), make_handler(state))
    server.socket = tls_context(arguments.tls_dir).wrap_socket(server.socket, server_side=True)
    print(f"ready {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
