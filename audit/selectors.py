from dataclasses import dataclass

from django.db.models import QuerySet

from audit.chain import HASHED_FIELDS, chain_start, consistent_snapshot, entry_hash
from audit.models import ActivityLog

# What a tampered row can raise while it is read or hashed.
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError)


@dataclass
class ChainReport:
    """What a walk along the chain found; `problem` is empty when all is well."""

    checked: int = 0
    first_sequence: int | None = None
    head_sequence: int = 0
    head_hash: str = ""
    problem: str = ""


def activity_list() -> QuerySet[ActivityLog]:
    """Every entry; the API filters and orders them."""
    return ActivityLog.objects.all()


def activity_chain_verify(
    *,
    stop_after: int | None = None,
    head: tuple[int, str] | None = None,
    chunk_size: int = 2000,
) -> ChainReport:
    """
    Walk the chain from its start and report the first entry that breaks it.

    Entries are streamed in order, `chunk_size` at a time, never all held in
    memory. `stop_after` ends the walk at that sequence. `head` is a
    `(sequence, hash)` noted from an earlier walk: finding it unchanged shows
    that the newest entries were not dropped nor the chain rewritten.
    """
    with consistent_snapshot():
        try:
            start = chain_start()
        except UNREADABLE:
            return ChainReport(
                problem="The latest activity.pruned entry, where the chain "
                "starts, cannot be read: it was changed."
            )

        entries = ActivityLog.objects.order_by("sequence").values(
            *HASHED_FIELDS, "hash"
        )
        if stop_after is not None:
            entries = entries.filter(sequence__lte=stop_after)
        return walk(entries.iterator(chunk_size=chunk_size), start, head)


def walk(entries, start, head):
    report = ChainReport()
    expected, previous_hash = start
    noted_hash = None
    try:
        for entry in entries:
            report.problem = link_problem(entry, expected, previous_hash)
            if report.problem:
                return report
            if head and entry["sequence"] == head[0]:
                noted_hash = entry["hash"]
            if report.first_sequence is None:
                report.first_sequence = entry["sequence"]
            report.checked += 1
            expected, previous_hash = entry["sequence"] + 1, entry["hash"]
    except UNREADABLE as error:
        report.problem = (
            f"The entry after #{expected - 1} cannot be read ({error!r}): "
            "it was changed."
        )
        return report

    report.head_sequence, report.head_hash = expected - 1, previous_hash
    if head:
        report.problem = head_problem(head, noted_hash, report)
    return report


def link_problem(entry, expected, previous_hash):
    """What is wrong with `entry`, expected as #`expected` after `previous_hash`."""
    sequence = entry["sequence"]
    if sequence < expected:
        return (
            f"Entry {describe(entry)} comes before the start of the chain at "
            f"#{expected}: it was inserted."
        )
    if sequence > expected:
        if sequence == expected + 1:
            missing = f"Entry #{expected} is missing"
        else:
            missing = f"Entries #{expected} to #{sequence - 1} are missing"
        return f"{missing}, removed: the next entry is {describe(entry)}."
    if entry["previous_hash"] != previous_hash:
        return (
            f"Entry {describe(entry)} does not link to the entry before it: "
            "one of the two was changed, or it was inserted."
        )
    if entry_hash(entry) != entry["hash"]:
        return (
            f"Entry {describe(entry)} does not match its hash: "
            "it was changed, or inserted."
        )
    return ""


def describe(entry):
    when = entry["created_at"].strftime("%Y-%m-%d %H:%M:%S")
    return f"#{entry['sequence']} ({entry['action']} at {when})"


def head_problem(head, noted_hash, report):
    """Whether the head noted earlier is still in the chain, unchanged."""
    sequence, expected_hash = head
    if sequence > report.head_sequence:
        return (
            f"Entry #{sequence} noted earlier is missing: the chain now ends at "
            f"#{report.head_sequence}, so its newest entries were removed."
        )
    if noted_hash is None:
        return f"Entry #{sequence} noted earlier has been pruned; note a newer head."
    if noted_hash != expected_hash:
        return (
            f"Entry #{sequence} is not the one noted earlier: the chain was "
            "rewritten from there."
        )
    return ""
