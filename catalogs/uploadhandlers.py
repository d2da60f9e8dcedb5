"""
Receiving the files of multipart uploads, named as they were sent.

Django's own handlers cut the name of an uploaded file to 255 characters,
and name their temporary file after its extension, which fails for a long
one. Here that name is only a version's original name, shown and given
back at download; storage keys are built from a short, safe form of it.
So a file is received into an anonymous spooled temporary file and keeps
its whole name, less any folders, which Django's multipart parser removes.

The parser still reads at most 1,024 bytes of headers per part, so a name
sent this way stops at about 900 bytes of UTF-8 (900 ASCII characters, a
third as many in Chinese); a longer one is refused with a 400.
"""

import tempfile

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.files.utils import validate_file_name


class WholeNameUploadedFile(UploadedFile):
    """An uploaded file that keeps its name whole, however long it is."""

    @property
    def name(self):
        return self._whole_name

    @name.setter
    def name(self, name):
        # Still never a path: no folders, and neither "." nor "..".
        self._whole_name = None if name is None else validate_file_name(name)


class SpooledUploadHandler(FileUploadHandler):
    """
    Hold each uploaded file in memory, and on disk once it grows larger.

    A file moves to disk past `FILE_UPLOAD_MAX_MEMORY_SIZE`, into a
    temporary file without a name that disappears once it is closed.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        # Closed by Django with the request's other uploaded files.
        self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
            dir=settings.FILE_UPLOAD_TEMP_DIR,
        )

    def receive_data_chunk(self, raw_data, start):
        self.file.write(raw_data)

    def file_complete(self, file_size):
        self.file.seek(0)
        return WholeNameUploadedFile(
            file=self.file,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def upload_interrupted(self):
        if getattr(self, "file", None) is not None:
            self.file.close()
