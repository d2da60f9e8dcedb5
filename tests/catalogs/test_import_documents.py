import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from catalogs.models import File


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "minutes.md").write_text("# Minutes\n")
    (folder / "budget.csv").write_text("item,amount\npaper,3\n")
    (folder / "informe año 📄.txt").write_text("Resumen del año.\n")
    (folder / "archive").mkdir()
    (folder / "gone.txt").symlink_to(folder / "missing-target.txt")
    return folder


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_documents", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_adds_each_readable_file_and_reports_the_rest(
    any_storage, catalog, folder
):
    out, err = run(catalog.pk, folder)

    files = {f.name: f for f in File.objects.filter(catalog=catalog)}
    assert sorted(files) == ["budget.csv", "informe año 📄.txt", "minutes.md"]
    assert files["minutes.md"].current_version.content_type == "text/markdown"
    assert files["minutes.md"].created_by == catalog.owner
    key = files["budget.csv"].current_version.storage_key
    assert default_storage.open(key).read() == b"item,amount\npaper,3\n"
    assert "Imported 3 new file(s) and 0 new version(s)." in out
    assert "Skipped 2:" in out
    assert "archive: a folder; only the folder's own files are imported" in out
    assert "gone.txt: No such file or directory" in out
    assert "5/5" in err  # the progress bar reached the end


@pytest.mark.django_db
def test_import_again_adds_versions_to_files_of_the_same_name(catalog, folder):
    run(catalog.name, folder)
    (folder / "minutes.md").write_text("# Minutes, corrected\n")

    out, _ = run(catalog.name, folder)

    minutes = File.objects.get(name="minutes.md")
    assert minutes.current_version.number == 2
    assert File.objects.count() == 3
    assert "Imported 0 new file(s) and 3 new version(s)." in out


@pytest.mark.django_db
def test_import_as_another_user_needs_write_access(catalog, folder, writer, reader):
    run(catalog.pk, folder, "--user", writer.email)

    with pytest.raises(CommandError, match="may not add files"):
        run(catalog.pk, folder, "--user", reader.email)
    assert {f.created_by for f in File.objects.all()} == {writer}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("catalog_arg", "message"),
    [("99999", "No single catalog"), ("No such catalog", "No single catalog")],
)
def test_import_names_a_missing_catalog(folder, catalog_arg, message):
    with pytest.raises(CommandError, match=message):
        run(catalog_arg, folder)


@pytest.mark.django_db
def test_import_needs_a_folder(catalog, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run(catalog.pk, tmp_path / "nowhere")


@pytest.mark.django_db
def test_import_of_the_corpus(catalog, corpus_dir):
    out, _ = run(catalog.pk, corpus_dir / "tricky")

    names = set(File.objects.values_list("name", flat=True))
    assert "notas de reunión 📝 ✅ logs.md" in names
    assert "empty.txt" in names
    assert len(names) == len(list((corpus_dir / "tricky").iterdir()))
    assert "Skipped" not in out
