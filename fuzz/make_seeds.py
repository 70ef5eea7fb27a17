#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/seed-*: a few small, real-shaped samples
per target. Deterministic; re-run after changing it and commit the result. Targets whose first
byte picks options (see fuzz_targets/*.rs) get that byte prepended."""
import base64, json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ISSUER = "https://login.example.com"
CLIENT = "client-123"
REDIRECT = "https://app.example/callback"
NOW = 1_700_000_000
ENTRA_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ENTRA_ISS = f"https://login.microsoftonline.com/{ENTRA_TENANT}/v2.0"
ADO = "499b84ac-1321-427f-aa17-267ca6975798"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def j(obj):
    return json.dumps(obj, separators=(",", ":"))


def write(target, samples):
    d = os.path.join(HERE, "corpus", target)
    if os.path.isdir(d):
        for name in os.listdir(d):
            if name.startswith("seed-"):
                os.remove(os.path.join(d, name))
    os.makedirs(d, exist_ok=True)
    for i, s in enumerate(samples):
        data = s if isinstance(s, bytes) else s.encode()
        with open(os.path.join(d, f"seed-{i:02d}"), "wb") as f:
            f.write(data)


def flag(n, text):
    return bytes([n]) + text.encode()


claims = {"iss": ISSUER, "sub": "user-1", "aud": CLIENT, "exp": NOW + 3600, "iat": NOW - 10,
          "nonce": "nonce-xyz", "name": "Ada", "preferred_username": "ada@example.com"}
entra_claims = dict(claims, iss=ENTRA_ISS, tid=ENTRA_TENANT, aud=[CLIENT], azp=CLIENT, auth_time=NOW - 100)
header = {"alg": "RS256", "kid": "k1", "typ": "JWT"}
jwt = f"{b64(j(header).encode())}.{b64(j(claims).encode())}.{b64(b'sig' * 20)}"
token = {"access_token": "eyJ0eXAi.access.token", "token_type": "Bearer", "expires_in": 3599,
         "scope": f"openid profile {ADO}/vso.code", "refresh_token": "0.AR8A-refresh", "id_token": jwt}
rsa = {"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": b64(b"\xc1" * 256), "e": "AQAB"}
ec = {"kty": "EC", "kid": "k2", "crv": "P-256", "x": b64(b"\x01" * 32), "y": b64(b"\x02" * 32), "key_ops": ["verify"]}
discovery = {"issuer": ISSUER, "authorization_endpoint": ISSUER + "/authorize", "token_endpoint": ISSUER + "/token",
             "jwks_uri": ISSUER + "/jwks", "end_session_endpoint": ISSUER + "/logout",
             "revocation_endpoint": ISSUER + "/revoke", "userinfo_endpoint": ISSUER + "/me",
             "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"],
             "authorization_response_iss_parameter_supported": True,
             "id_token_signing_alg_values_supported": ["RS256"]}
entra_tpl = "https://login.microsoftonline.com/{tenantid}/v2.0"
entra_discovery = dict(discovery, issuer=entra_tpl,
                       authorization_endpoint="https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
                       token_endpoint="https://login.microsoftonline.com/organizations/oauth2/v2.0/token")
loop_discovery = dict(discovery, issuer="http://127.0.0.1:4000", authorization_endpoint="http://127.0.0.1:4000/auth",
                      token_endpoint="http://127.0.0.1:4000/token")
del loop_discovery["end_session_endpoint"]
transaction = {"v": 1, "issuer": ISSUER, "authorization_endpoint": ISSUER + "/authorize", "token_endpoint": ISSUER + "/token",
               "client_id": CLIENT, "redirect_uri": REDIRECT, "code_verifier": VERIFIER, "state": "state-abc",
               "response_mode": "query", "nonce": "nonce-xyz", "scopes": ["openid", "profile"], "iss_supported": True,
               "created_at": NOW - 60}
identity = {"iss": ISSUER, "sub": "user-1", "aud": [CLIENT], "iat": NOW - 10, "nonce": "nonce-xyz", "name": "Ada",
            "username": "ada@example.com"}
cached = {"access_token": "at-1", "token_type": "bearer", "scopes": ["openid", "profile"], "expires_at": NOW + 3000,
          "received_at": NOW - 10}
session = {"v": 1, "issuer": ISSUER, "client_id": CLIENT, "sub": "user-1", "identity": identity, "id_token": jwt,
           "grant": ["openid", "profile", "offline_access"], "refresh_token": "rt-1", "refresh_expires_at": NOW + 86400,
           "signed_in_at": NOW - 10, "tokens": [cached]}
entra_session = dict(session, issuer=ENTRA_ISS, identity=dict(identity, iss=ENTRA_ISS, tid=ENTRA_TENANT))
del entra_session["refresh_token"]


def authorize(host="login.microsoftonline.com", path="/organizations/oauth2/v2.0/authorize", extra=""):
    return (f"https://{host}{path}?client_id=11111111-2222-3333-4444-555555555555&response_type=code"
            f"&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=openid+offline_access+{ADO}%2Fvso.code"
            f"&state=s1&code_challenge={CHALLENGE}&code_challenge_method=S256{extra}")


write("json", [j(token), j(discovery), j({"keys": [rsa, ec]}), '{"a":[1,-2.5e-3,true,false,null,"\\u00e9\\ud83d\\ude00\\n"]}',
               "[]", '"x"', "1e308", '{"nested":{"deeper":[[{"x":{}}]]}}'])
write("url", ["https://login.example.com/authorize?client_id=a&state=b#frag", "http://127.0.0.1:8080/cb?code=x",
              "https://user:pw@Host.Example:8443/p/a/t/h?q#f", "http://[::1]:3000/", "https://a.example",
              "https://app.example/callback#code=abc&state=s?x"])
write("callback", [
    flag(0, REDIRECT + "?code=SplxlOBeZQQYbYS6WxSbIA&state=state-abc&iss=https%3A%2F%2Flogin.example.com"),
    flag(2, REDIRECT + "?code=abc&state=state-abc&iss=https%3A%2F%2Flogin.example.com&app=keep"),
    flag(1, REDIRECT + "?app=1#code=abc&state=state-abc&session_state=x"),
    flag(0, REDIRECT + "?error=access_denied&error_description=no&state=state-abc"),
    flag(0, REDIRECT + "?access_token=x&state=state-abc"),
    flag(4, REDIRECT + f"?code=abc&state=state-abc&iss=https%3A%2F%2Flogin.microsoftonline.com%2F{ENTRA_TENANT}%2Fv2.0"),
    flag(1, REDIRECT + "#client_info=eyJ1aWQiOiIxIn0&code=a&state=state-abc&&x=%20"),
])
write("token_response", [flag(0, j(token)), flag(0, j({"access_token": "a", "token_type": "bearer"})),
                         flag(3, j({"error": "invalid_grant", "error_description": "expired", "error_uri": "https://e/x"})),
                         flag(6, "<html>bad gateway</html>"), flag(0, j(dict(token, expires_in=-1))),
                         # Bit 3: DPoP was asked (RFC 9449 §5).
                         flag(8, j(dict(token, token_type="DPoP"))), flag(8, j(token))])
write("id_token", [flag(0, jwt), flag(0, f"{j(header)}\n{j(claims)}\nc2ln"),
                   flag(1, f"{j(dict(header, alg='ES256'))}\n{j(entra_claims)}\nc2ln"),
                   flag(6, f"{j(header)}\n{j(dict(claims, auth_time=NOW - 100))}\n"),
                   flag(0, f"{j(dict(header, alg='none'))}\n{j(claims)}\n")])
write("jwks", [j({"keys": [rsa, ec]}), j({"keys": [rsa, dict(rsa, kid="k3")]}), j({"keys": [dict(rsa, n=b64(b"\x01" * 64))]}),
               j({"keys": [{"kty": "oct", "k": "AAAA"}, dict(ec, kid=None)]}), j({"keys": []})])
write("discovery", [flag(0, j(discovery)), flag(1, j(entra_discovery)), flag(6, j(loop_discovery)),
                    flag(0, j(dict(discovery, code_challenge_methods_supported=["plain"]))),
                    flag(0, j(dict(discovery, token_endpoint="http://login.example.com/token")))])
write("stored_session", [flag(0, j(session)), flag(1, j(entra_session)),
                         flag(0, j(dict(session, tokens=[], identity=None))), flag(0, j(dict(session, signed_in_at=NOW + 10_000)))])
write("transaction", [j(transaction), j(dict(transaction, response_mode="fragment", max_age=600)),
                      j({k: v for k, v in transaction.items() if k != "nonce"}), j(dict(transaction, v=2))])
write("scopes", ["openid profile offline_access", f"{ADO}/vso.code_manage {ADO}/vso.code vso.work_write\nvso.code",
                 f"https://app.vssps.visualstudio.com/vso.build_execute {ADO}/.default",
                 "openid https://graph.microsoft.com/User.Read api://x/y\nopenid",
                 f"{ADO}/user_impersonation openid openid"])
write("consent", [flag(3, authorize()), flag(0, authorize(host="login.microsoftonline.com.evil.example")),
                  flag(4, authorize(host="accounts.example.com", path="/authorize")),
                  flag(8, authorize(host="127.0.0.1:4000", path="/auth").replace("https://", "http://")),
                  flag(16, authorize(extra="&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc")),
                  flag(0, authorize(extra="&request=eyJhbGciOiJub25lIn0.e30.")),
                  flag(0, "https://app.vssps.visualstudio.com/oauth2/authorize?client_id=x&response_type=Assertion&state=s&scope=vso.code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb")])
# RFC 9449's example key (§4.1) and access token (§7.1).
DPOP_X = "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs"
DPOP_Y = "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"
DPOP_AT = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
write("dpop_proof", ["\n".join(["EC", "P-256", DPOP_X, DPOP_Y, "POST", "https://server.example.com/token", "", ""]),
                     "\n".join(["EC", "P-256", DPOP_X, DPOP_Y, "GET", "https://resource.example.org/protectedresource?x=1#f", "eyJ7S_zG.eyJH0-Z.HX4w-7v", DPOP_AT]),
                     "\n".join(["EC", "P-384", DPOP_X, DPOP_Y, "GET", "https://r.example/", "", ""]),
                     "\n".join(["EC", "P-256", DPOP_X + "=", DPOP_Y, "GET", "https://r.example/", "", ""]),
                     "\n".join(["EC", "P-256", DPOP_X, DPOP_Y, "GET", "https://u:p@r.example/", "a\"b", "t"])])

write("operations", ["GET https://dev.azure.com/contoso/Website/_apis/git/repositories?api-version=7.1\n"
                     "POST https://dev.azure.com/contoso/Website/_apis/wit/workitems/$Task\n"
                     "https://contoso.visualstudio.com/DefaultCollection/_apis/projects",
                     "DELETE https://contoso.vsrm.visualstudio.com/Web%20Site/_apis/release/releases/4\n"
                     "GET https://app.vssps.visualstudio.com/_apis/profile/profiles/me",
                     "PUT https://dev.azure.com/contoso/Website/Website%20Team/_apis/work/boards/b/rows\n"
                     "GET https://example.com/x"])


def regression(target, name, data):
    d = os.path.join(HERE, "regressions", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# Reproducers replayed by scripts/fuzz on every run (fuzz/regressions/<target>/).
# Issue 8 finding 2: a 1 MiB object of ~112k distinct members. The duplicate-member check
# compares each member with every earlier one, so this takes more than the 10 s unit timeout
# under the fuzzer (about 12 s here) until the JSON reader checks duplicates in linear time.
members, size, n = [], 2, 0
while True:
    m = '"%x":0' % n
    if size + len(m) + 1 > 1048576:
        break
    members.append(m)
    size += len(m) + 1
    n += 1
regression("json", "quadratic-duplicate-check-1mib-object", "{" + ",".join(members) + "}")
