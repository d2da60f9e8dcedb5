"""
Every change to catalogs, grants, files and versions.

The API, the admin and the management commands all call these functions, so
each rule lives here once. Each change is recorded in the activity log in
its own transaction. Stored bytes and rows never disagree for long: a failed
write to storage creates no rows, a failed write to the database removes the
object it had just stored, and objects are deleted only once the rows that
referred to them are gone.
"""

from catalogs.services.catalogs import (
    catalog_create,
    catalog_delete,
    catalog_grant,
    catalog_grant_change,
    catalog_revoke,
    catalog_update,
    grant_refusal,
)
from catalogs.services.files import (
    Download,
    display_name,
    document_import,
    file_purge,
    file_rename,
    file_restore,
    file_trash,
    file_upload,
    version_download,
    version_restore,
    version_upload,
)
from catalogs.services.orphans import orphan_objects, orphans_delete
from catalogs.services.uploads import (
    DIRECT_UPLOAD_MAX_BYTES,
    UPLOAD_COMPLETE_WITHIN,
    DirectUpload,
    upload_complete,
    upload_start,
)

__all__ = [
    "DIRECT_UPLOAD_MAX_BYTES",
    "UPLOAD_COMPLETE_WITHIN",
    "DirectUpload",
    "Download",
    "catalog_create",
    "catalog_delete",
    "catalog_grant",
    "catalog_grant_change",
    "catalog_revoke",
    "catalog_update",
    "display_name",
    "document_import",
    "file_purge",
    "file_rename",
    "file_restore",
    "file_trash",
    "file_upload",
    "grant_refusal",
    "orphan_objects",
    "orphans_delete",
    "upload_complete",
    "upload_start",
    "version_download",
    "version_restore",
    "version_upload",
]
