"""A minimal client for st2go's REST API, standard library only.

Sensors and actions started by st2go find the API's base URL (with its
version path, e.g. ``http://127.0.0.1:9101/v1``) in ST2_API_URL and a
token in ST2_AUTH_TOKEN; every request carries the token in the
X-Auth-Token header.
"""

import json
import os
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["APIError", "Client", "client_from_env"]

API_URL_ENV = "ST2_API_URL"
AUTH_TOKEN_ENV = "ST2_AUTH_TOKEN"


class APIError(Exception):
    """The API answered with an error status; ``status`` holds it."""

    def __init__(self, status, message):
        super().__init__("API error %s: %s" % (status, message))
        self.status = status


class Client(object):
    """Sends JSON requests to one API base URL with one token."""

    def __init__(self, api_url, token=None, timeout=60):
        if not api_url:
            raise ValueError("no API URL: %s is not set" % API_URL_ENV)
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method, path, params=None, body=None, ok_statuses=()):
        """Send one request and return (status, decoded JSON or None).

        Statuses of 400 and above raise APIError unless listed in
        ``ok_statuses``.
        """
        url = self.api_url + path
        if params:
            pairs = [(k, v) for k, v in params.items() if v is not None]
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["X-Auth-Token"] = self.token
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, _decode(resp.read())
        except urllib.error.HTTPError as e:
            raw = e.read()
            if e.code in ok_statuses:
                return e.code, _decode(raw)
            raise APIError(e.code, _faultstring(raw) or e.reason)


def client_from_env():
    """A Client for the URL and token st2go put in the environment."""
    return Client(os.environ.get(API_URL_ENV, ""), os.environ.get(AUTH_TOKEN_ENV))


def _decode(raw):
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        return raw.decode("utf-8", "replace")


def _faultstring(raw):
    doc = _decode(raw)
    if isinstance(doc, dict):
        return doc.get("faultstring") or json.dumps(doc)
    return doc
