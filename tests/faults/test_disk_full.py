"""A full or read-only storage: an upload is refused with a message saying so (not a 500, not
"could not be read as an image"), and nothing is left on disk or in the database.

The storage is a real small tmpfs mounted over the project's repository folder (the tests run
as root; without the right to mount, they are skipped)."""

import io
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from stalker_web.models import File, ProjectUser
from stalker_web.services.versions.versions import create_version

from ..conftest import login

PAGE = 4096


def mount_tmpfs(folder: Path, *options: str) -> None:
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(("size=256k", *options)), "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")


@pytest.fixture
def storage(tmp_path):
    """A 256 KiB tmpfs folder, unmounted afterwards."""
    folder = tmp_path / "storage"
    folder.mkdir()
    mounted = []

    def mount(*options: str) -> Path:
        mount_tmpfs(folder, *options)
        mounted.append(folder)
        return folder

    yield mount
    for path in mounted:
        subprocess.run(["umount", str(path)], check=True)


def fill(folder: Path, leave_pages: int = 0) -> None:
    """Fill ``folder``'s file system with one-page files, then free ``leave_pages`` of them."""
    fillers = []
    try:
        while True:
            path = folder / f"filler-{len(fillers)}"
            with open(path, "wb") as output:
                output.write(b"\0" * PAGE)
            fillers.append(path)
    except OSError:
        fillers.append(path)  # partly written or empty: remove it with the others
    for path in fillers[: leave_pages + 1]:
        path.unlink(missing_ok=True)


def noisy_png(side: int) -> bytes:
    """A PNG that does not compress (random pixels), so its size is known in advance."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def version_in(factory, dbsession):
    def make(root: Path):
        template = factory.filename_template(
            "Task", path="{{ project.code }}", filename="anim_v{{ version.version_number }}"
        )
        project = factory.project(code="DISK", structure=factory.structure(templates=[template]))
        project.repositories.append(factory.repository(code="DISK", linux_path=str(root)))
        artist = factory.user()
        project.members.append(ProjectUser(user=artist))
        task = factory.task(project=project, name="Anim")
        task.resources.append(artist)
        return create_version(dbsession, task), artist

    return make


def upload(testapp, version, content: bytes):
    form = testapp.get(f"/versions/{version.id}").forms["upload-form"]
    form["upload"] = ("frame.png", content)
    return form.submit(status=400)


def stored_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(File))


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.rglob("*") if not path.name.startswith("filler"))


def test_an_upload_to_a_full_storage_says_it_is_full(testapp, dbsession, storage, version_in):
    root = storage()
    version, artist = version_in(root)
    login(testapp, artist.login)
    fill(root)
    page = upload(testapp, version, noisy_png(40))
    assert "The studio&#39;s file storage is full, so the file was not saved" in page.text
    assert stored_count(dbsession) == 0
    assert files_in(root) == []


def test_a_thumbnail_that_does_not_fit_says_the_storage_is_full(
    testapp, dbsession, storage, version_in
):
    root = storage()
    version, artist = version_in(root)
    login(testapp, artist.login)
    image = noisy_png(40)
    fill(root, leave_pages=-(-len(image) // PAGE))  # room for the file, none for its thumbnail
    page = upload(testapp, version, image)
    assert "file storage is full" in page.text
    assert "could not be read as an image" not in page.text
    assert stored_count(dbsession) == 0
    assert files_in(root) == []


def test_an_upload_to_a_read_only_storage_says_it_is_not_writable(
    testapp, dbsession, storage, version_in
):
    root = storage("ro")
    version, artist = version_in(root)
    login(testapp, artist.login)
    page = upload(testapp, version, noisy_png(40))
    assert "file storage is not writable, so the file was not saved" in page.text
    assert stored_count(dbsession) == 0
