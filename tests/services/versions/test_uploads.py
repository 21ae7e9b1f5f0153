"""Uploads: stored where the template says with a thumbnail, refused (leaving nothing behind)
when of a wrong type, content or size, and removed again when the transaction rolls back."""

import io
import os

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stalker_web.config import CONFIG_ENV_VAR, ConfigError, load_studio_config
from stalker_web.db import get_engine
from stalker_web.models import File
from stalker_web.services.errors import ValidationError
from stalker_web.services.versions.uploads import UploadRules, store_upload, stored_path
from stalker_web.services.versions.versions import create_version

from ...conftest import prepare_studio_database
from ...factories import Factory

RULES = UploadRules(
    extensions=(".png", ".jpg", ".pdf", ".exr"), max_bytes=200_000, thumbnail_pixels=64
)


def png_bytes(size=(300, 150), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def version_in_repository(dbsession, factory, root):
    """A version of task "Comp" of project UP whose first repository is rooted at ``root``."""
    template = factory.filename_template(
        "Task",
        path="{{ project.code }}/{{ task.nice_name }}",
        filename="{{ task.nice_name }}_v{{ '%03d' % version.version_number }}",
    )
    project = factory.project(code="UP", structure=factory.structure(templates=[template]))
    project.repositories.append(factory.repository(linux_path=str(root)))
    return create_version(dbsession, factory.task(project=project, name="Comp"))


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "repository"
    folder.mkdir()
    return folder


@pytest.fixture
def version(dbsession, factory, root):
    return version_in_repository(dbsession, factory, root)


def store(dbsession, version, name, content, rules=RULES):
    return store_upload(dbsession, version, filename=name, stream=io.BytesIO(content), rules=rules)


def stored_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def file_rows(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(File))


def test_an_image_is_stored_with_a_thumbnail(dbsession, version, root):
    content = png_bytes()
    stored = store(dbsession, version, "C:\\renders\\beauty.PNG", content)
    assert stored.relative_path == "UP/Comp/Comp_v001.png"
    assert (stored.original_filename, stored.mime_type, stored.size) == (
        "beauty.PNG",
        "image/png",
        len(content),
    )
    assert stored.version is version and version.files == [stored]
    assert (root / "UP/Comp/Comp_v001.png").read_bytes() == content
    assert stored.thumbnail_path == "UP/Comp/.thumbnails/Comp_v001.png.png"
    with Image.open(root / stored.thumbnail_path) as thumbnail:
        assert thumbnail.format == "PNG" and max(thumbnail.size) == 64
    assert stored_files(root) == [
        "UP",
        "UP/Comp",
        "UP/Comp/.thumbnails",
        "UP/Comp/.thumbnails/Comp_v001.png.png",
        "UP/Comp/Comp_v001.png",
    ]


def test_a_pdf_is_stored_without_thumbnail_and_names_do_not_collide(dbsession, version, root):
    first = store(dbsession, version, "notes.pdf", PDF)
    second = store(dbsession, version, "more notes.pdf", PDF)
    assert (first.relative_path, second.relative_path) == (
        "UP/Comp/Comp_v001.pdf",
        "UP/Comp/Comp_v001_2.pdf",
    )
    assert first.thumbnail_path is None


def test_a_file_on_disk_without_a_row_is_never_overwritten(dbsession, version, root):
    (root / "UP/Comp").mkdir(parents=True)
    (root / "UP/Comp/Comp_v001.pdf").write_bytes(b"someone else's")
    stored = store(dbsession, version, "notes.pdf", PDF)
    assert stored.relative_path == "UP/Comp/Comp_v001_2.pdf"
    assert (root / "UP/Comp/Comp_v001.pdf").read_bytes() == b"someone else's"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Files of type .exe are not accepted; accepted types: .png"),
        ("noextension", PDF, "noextension has no extension"),
        ("fake.png", PDF, "The content of fake.png is not a PNG image"),
        ("fake.exr", png_bytes(), "not a OpenEXR image"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png could not be read as an"),
        ("empty.pdf", b"", "empty.pdf is empty"),
        ("huge.pdf", PDF + b" " * 200_000, "huge.pdf is larger than the 195.3 KB limit"),
    ],
)
def test_a_refused_upload_leaves_nothing_behind(dbsession, version, root, name, content, message):
    with pytest.raises(ValidationError, match=message) as error:
        store(dbsession, version, name, content)
    assert error.value.field == "upload"
    assert stored_files(root) == []
    assert file_rows(dbsession) == 0


def test_no_file_chosen_is_refused(dbsession, version):
    with pytest.raises(ValidationError, match="Choose a file"):
        store_upload(dbsession, version, filename="", stream=None, rules=RULES)


def test_a_repository_without_folder_here_is_refused(dbsession, factory, tmp_path):
    version = version_in_repository(dbsession, factory, tmp_path / "not-mounted")
    with pytest.raises(ValidationError, match="has no folder on this server"):
        store(dbsession, version, "notes.pdf", PDF)
    assert file_rows(dbsession) == 0


def test_the_studio_configuration_gives_the_rules(studio_config):
    rules = UploadRules.from_config(studio_config)
    assert ".exr" in rules.extensions and rules.max_bytes == 512 * 1024 * 1024


def test_stored_paths_never_leave_the_repository(factory, root, tmp_path):
    repository = factory.repository(linux_path=str(root))
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link").symlink_to(tmp_path / "secret.txt")
    (root / "inside.pdf").write_bytes(PDF)
    assert stored_path(repository, "inside.pdf") == os.path.realpath(root / "inside.pdf")
    assert stored_path(repository, "link") is None
    assert stored_path(repository, "../secret.txt") is None
    assert stored_path(factory.repository(linux_path=""), "inside.pdf") is None


# The transaction decides whether stored files stay


@pytest.fixture
def committed_session(fresh_database_url):
    prepare_studio_database(fresh_database_url, "admin", "Admin")
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_files_are_removed_when_the_transaction_rolls_back(committed_session, root):
    factory = Factory(committed_session, load_studio_config())
    version = version_in_repository(committed_session, factory, root)
    store(committed_session, version, "beauty.png", png_bytes())
    assert "UP/Comp/Comp_v001.png" in stored_files(root)
    committed_session.rollback()
    assert stored_files(root) == []


def test_files_stay_when_the_transaction_commits(committed_session, root):
    factory = Factory(committed_session, load_studio_config())
    version = version_in_repository(committed_session, factory, root)
    store(committed_session, version, "beauty.png", png_bytes())
    committed_session.commit()
    store(committed_session, version, "notes.pdf", PDF)
    committed_session.rollback()
    assert stored_files(root) == [
        "UP",
        "UP/Comp",
        "UP/Comp/.thumbnails",
        "UP/Comp/.thumbnails/Comp_v001.png.png",
        "UP/Comp/Comp_v001.png",
    ]
    assert file_rows(committed_session) == 1


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ({"extensions": [".png", ".docx"]}, "'.docx' is not a type whose content can be checked"),
        ({"extensions": []}, "uploads.extensions must be a list"),
        ({"max_bytes": 0}, "uploads.max_bytes must be between"),
        ({"thumbnail_pixels": "big"}, "uploads.thumbnail_pixels must be a whole number"),
    ],
)
def test_the_uploads_configuration_is_checked(tmp_path, monkeypatch, uploads, message):
    override = tmp_path / "studio.toml"
    lines = ["[uploads]"] + [
        f"{key} = {value!r}".replace("'", '"') for key, value in uploads.items()
    ]
    override.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv(CONFIG_ENV_VAR, str(override))
    with pytest.raises(ConfigError, match=message):
        load_studio_config()


def test_extensions_are_accepted_without_their_dot(tmp_path, monkeypatch):
    override = tmp_path / "studio.toml"
    override.write_text('[uploads]\nextensions = ["PNG", ".exr"]\n')
    monkeypatch.setenv(CONFIG_ENV_VAR, str(override))
    assert load_studio_config()["uploads"]["extensions"] == [".png", ".exr"]
