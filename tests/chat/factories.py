import hashlib
import uuid

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from fpdf import FPDF

from catalogs.models import Access, Catalog, CatalogPermission, File, Version
from chat.models import Conversation, Message
from chat.services import version_extract
from tests.accounts.factories import EditorFactory, UserFactory


class CatalogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalog

    name = factory.Sequence(lambda n: f"Catalog {n}")
    owner = factory.SubFactory(EditorFactory)


class CatalogPermissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogPermission

    catalog = factory.SubFactory(CatalogFactory)
    user = factory.SubFactory(UserFactory)
    access = Access.READ


class FileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = File

    catalog = factory.SubFactory(CatalogFactory)
    name = factory.Sequence(lambda n: f"document-{n}.txt")
    created_by = factory.SelfAttribute("catalog.owner")


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


def version_store(
    file: File, content: bytes, *, name: str = "", content_type: str = "text/plain"
) -> Version:
    """Store ``content`` as the new current version of ``file``, unextracted."""
    name = name or file.name
    key = default_storage.save(f"tests/{uuid.uuid4().hex}/{name}", ContentFile(content))
    version = Version.objects.create(
        file=file,
        number=file.versions.count() + 1,
        storage_key=key,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=content_type,
        original_name=name,
        uploaded_by=file.created_by,
    )
    file.current_version = version
    file.save(update_fields=["current_version"])
    return version


def document_add(
    catalog: Catalog, name: str, content: bytes, content_type: str = "text/plain"
) -> Version:
    """A new file in ``catalog`` whose only version is ``content``, extracted."""
    file = FileFactory(catalog=catalog, name=name)
    return version_extract(
        version=version_store(file, content, content_type=content_type)
    )


def pdf_bytes(*pages: str) -> bytes:
    """A PDF with one page per text; an empty text gives a page without text."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
