"""
Access to conversations.

A conversation is its owner's alone, whatever the owner's role: the views
only ever look among the caller's own conversations, so another user's is a
404. A conversation about a catalog works only while its owner can read the
catalog: that is checked when it is created and again at every question.
"""

from catalogs.selectors import catalogs_readable_by


def can_ask_in(user, conversation) -> bool:
    """Whether `user` can still read the catalog `conversation` is about, if any."""
    catalog = conversation.catalog
    return catalog is None or catalogs_readable_by(user).contains(catalog)
