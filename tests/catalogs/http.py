"""Helpers that follow API answers the way a client would."""

import requests
from django.core.files.base import ContentFile


def downloaded(response):
    """
    The bytes and `Content-Disposition` a download answer leads to.

    A redirect to S3 is followed with a plain HTTP client, as a browser would.
    """
    if response.status_code == 302:
        reply = requests.get(response["Location"], timeout=30)
        assert reply.status_code == 200, reply.text
        return reply.content, reply.headers["Content-Disposition"]

    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content), response["Content-Disposition"]


def upload_body(data, filename="document.txt", content_type="text/plain", **fields):
    """A multipart body with `data` as its file, named as given however long."""
    file = ContentFile(data, name=filename)
    file.content_type = content_type  # sent as the part's type
    return {"file": file, **fields}


def send_direct(started, data):
    """Send `data` with the presigned POST of a started direct upload."""
    return requests.post(
        started["url"],
        data=started["fields"],
        files={"file": ("upload", data, "application/octet-stream")},
        timeout=30,
    )
