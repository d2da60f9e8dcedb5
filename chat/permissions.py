"""
Access to conversations.

A conversation is its owner's alone, whatever the owner's role: the views
only ever look among the caller's own conversations, so another user's is a
404. Catalogs are checked by ``chat.selectors.catalogs_readable_by`` when a
conversation is created and again at every question.
"""
