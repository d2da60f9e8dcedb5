import factory
from django.core.files.base import ContentFile
from django.test import TestCase
from fpdf import FPDF

from catalogs.models import Catalog, File, Version
from catalogs.services import file_upload, version_upload
from chat.models import Conversation, Message
from tests.accounts.factories import UserFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    owner = factory.SubFactory(UserFactory)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    role = Message.Role.USER
    content = factory.Sequence(lambda n: f"Question {n}?")


def version_store(file: File, content: bytes, *, name: str = "") -> Version:
    """
    Upload ``content`` as the new current version of ``file``, unextracted.

    The catalogs service sends the new-version signal once the upload
    commits, which never happens inside a test's transaction.
    """
    upload = ContentFile(content, name=name or file.name)
    return version_upload(file=file, uploader=file.created_by, content=upload)


def document_add(catalog: Catalog, name: str, content: bytes) -> Version:
    """
    Upload ``content`` as a new file of ``catalog``, and extract its text.

    The commit callbacks run as after a real upload, so the text is
    extracted by the chat app's own receiver of the new-version signal.
    """
    with TestCase.captureOnCommitCallbacks(execute=True):
        file = file_upload(
            catalog=catalog,
            uploader=catalog.owner,
            content=ContentFile(content, name=name),
        )
    return Version.objects.get(pk=file.current_version_id)


def pdf_bytes(*pages: str) -> bytes:
    """A PDF with one page per text; an empty text gives a page without text."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
