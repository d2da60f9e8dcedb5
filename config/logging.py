import logging

from config.request_context import get_request_context


class RequestIdFilter(logging.Filter):
    """Stamp every log record with the id of the request being served."""

    def filter(self, record):
        record.request_id = get_request_context().request_id or "-"
        return True
