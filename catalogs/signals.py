from django.dispatch import Signal

# Sent once a new version is committed, with `version`: a text extractor hook.
version_created = Signal()
