"""The answer to a download, the same in the API and in the admin."""

from django.http import FileResponse, HttpResponseRedirect

from catalogs.services import Download


def download_response(download: Download):
    """A redirect to the short-lived S3 URL, or else the file as an attachment."""
    if download.url:
        return HttpResponseRedirect(download.url)

    version = download.version
    return FileResponse(
        download.stream,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
