#!/usr/bin/env python3
"""Gets an app's access token from the token-clients service, with Python's standard library only.

    TOKEN_SERVICE_URL=http://127.0.0.1:8787 TOKEN_SERVICE_KEY=... python3 get_token.py reading

Prints the access token. On failure prints the problem's code and detail (never a secret) and exits 1;
a retryable failure (503) says how many seconds to wait (Retry-After).
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def get_token(base_url: str, caller_key: str, app: str) -> dict:
    url = f"{base_url.rstrip('/')}/v1/apps/{urllib.parse.quote(app, safe='')}/token"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {caller_key}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: get_token.py <app>  (with TOKEN_SERVICE_URL and TOKEN_SERVICE_KEY set)", file=sys.stderr)
        return 2
    try:
        token = get_token(os.environ["TOKEN_SERVICE_URL"], os.environ["TOKEN_SERVICE_KEY"], sys.argv[1])
    except urllib.error.HTTPError as error:
        problem = json.load(error)
        retry = f" (retry after {error.headers['Retry-After']} s)" if error.headers.get("Retry-After") else ""
        print(f"{error.code} {problem.get('code')}: {problem.get('detail')}{retry}", file=sys.stderr)
        return 1
    print(token["access_token"])
    print(f"expires in {token['expires_in']} s, at {token['expires_at']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
