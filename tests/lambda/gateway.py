"""
What API Gateway does around the function: REST API events in, HTTP out.

Events follow the REST API proxy integration (payload format 1.0) of an API
whose binary media types are `*/*`, as Zappa sets them with `binary_support`:
every request body arrives base64-encoded. Responses are turned into header
lines the way API Gateway merges `headers` and `multiValueHeaders`.
"""

import base64
import json
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlsplit

STAGE = "production"
STAGE_HOST = "abc123defg.execute-api.eu-west-1.amazonaws.com"
CUSTOM_HOST = "api.fichero.example.org"
CLIENT_IP = "203.0.113.7"
FORWARDED_FOR = "x-forwarded-for"
# Lambda refuses an invocation payload (the whole event) above 6 MB.
LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024


def rest_event(method, target, *, host=STAGE_HOST, headers=(), body=b"", http2=False):
    """
    The event API Gateway sends for `method target` (path and query string).

    `headers` are (name, value) pairs as the client sent them; with `http2`
    their names arrive in lower case, as HTTP/2 clients write them. The
    request comes from `CLIENT_IP`, which API Gateway appends to any
    `X-Forwarded-For` the client sent.
    """
    path, _, query = target.partition("?")
    forwarded = [value for name, value in headers if name.lower() == FORWARDED_FOR]
    pairs = [
        ("Host", host),
        ("User-Agent", "fichero-package-test"),
        ("X-Forwarded-For", ", ".join([*forwarded, CLIENT_IP])),
        ("X-Forwarded-Port", "443"),
        ("X-Forwarded-Proto", "https"),
        *[(name, value) for name, value in headers if name.lower() != FORWARDED_FOR],
    ]
    if http2:
        pairs = [(name.lower(), value) for name, value in pairs]

    multi_headers = {}
    for name, value in pairs:
        multi_headers.setdefault(name, []).append(value)
    multi_query = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        multi_query.setdefault(name, []).append(value)
    stage_path = path if host == CUSTOM_HOST else f"/{STAGE}{path}"

    return {
        "resource": "/{proxy+}",
        "path": quote(path, safe="/%"),
        "httpMethod": method,
        "headers": {name: values[-1] for name, values in multi_headers.items()},
        "multiValueHeaders": multi_headers,
        "queryStringParameters": (
            {name: values[-1] for name, values in multi_query.items()} or None
        ),
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": quote(stage_path, safe="/%"),
            "stage": STAGE,
            "domainName": host,
            "apiId": STAGE_HOST.split(".")[0],
            "requestId": str(uuid.uuid4()),
            "protocol": "HTTP/2.0" if http2 else "HTTP/1.1",
            "identity": {"sourceIp": CLIENT_IP, "userAgent": "fichero-package-test"},
        },
        "body": base64.b64encode(body).decode() if body else None,
        "isBase64Encoded": bool(body),
    }


@dataclass
class HttpResponse:
    """A function result as the client of API Gateway receives it."""

    status: int
    headers: list
    body: bytes

    @classmethod
    def from_result(cls, result):
        body = result.get("body") or ""
        return cls(
            status=result["statusCode"],
            headers=merged_headers(result),
            body=base64.b64decode(body)
            if result.get("isBase64Encoded")
            else body.encode(),
        )

    def header(self, name):
        values = self.header_values(name)
        return values[-1] if values else None

    def header_values(self, name):
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode()


def merged_headers(result):
    """
    The header lines of a proxy response, as API Gateway sends them.

    It merges `headers` into `multiValueHeaders`; a name and value given in
    both appears once, with the values of `multiValueHeaders`.
    """
    lines = [
        (name, value)
        for name, values in (result.get("multiValueHeaders") or {}).items()
        for value in values
    ]
    known = {(name.lower(), value) for name, value in lines}
    lines += [
        (name, value)
        for name, value in (result.get("headers") or {}).items()
        if (name.lower(), value) not in known
    ]
    return lines


@dataclass
class Browser:
    """A client that keeps the cookies it is sent, on one host."""

    function: object
    host: str = STAGE_HOST
    http2: bool = False
    cookies: dict = field(default_factory=dict)
    # Sent with every request, e.g. an Authorization header.
    headers: list = field(default_factory=list)

    @property
    def origin(self):
        return f"https://{self.host}"

    def get(self, target, headers=()):
        return self.request("GET", target, headers=headers)

    def post(self, target, body, content_type, headers=()):
        headers = [("Content-Type", content_type), *headers]
        return self.request("POST", target, headers=headers, body=body)

    def request(self, method, target, *, headers=(), body=b""):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = [*self.headers, *headers, *([("Cookie", cookie)] if cookie else [])]
        event = rest_event(
            method, target, host=self.host, headers=headers, body=body, http2=self.http2
        )

        response = HttpResponse.from_result(self.function.invoke(event))

        for line in response.header_values("Set-Cookie"):
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def follow(self, response):
        """Request the page a redirect points to, as the browser would."""
        return self.get(gateway_target(response.header("Location"), host=self.host))


def gateway_target(url, *, host=STAGE_HOST):
    """
    The path and query that reach the function when a browser asks for `url`.

    Through the execute-api address API Gateway removes the stage, which a
    link must therefore carry; through a custom domain the path is unchanged.
    """
    parts = urlsplit(url)
    path = parts.path
    if host == STAGE_HOST:
        assert path.startswith(f"/{STAGE}/"), f"{url} lacks the stage prefix"
        path = path.removeprefix(f"/{STAGE}")
    return path + (f"?{parts.query}" if parts.query else "")
