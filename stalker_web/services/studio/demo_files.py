"""The demo studio's files: a repository, a structure whose filename templates name every kind of
task, and versions whose pictures are drawn here and stored as uploads are (with thumbnails)."""

import io
import os
import tempfile
from datetime import datetime

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from ...config import load_studio_config
from ...models import File, Project, Repository, Structure, Task, User, Version
from ...models.repository import current_os
from ..projects.repositories import create_repository
from ..projects.settings import add_repository
from ..projects.structures import add_template, create_structure
from ..versions.uploads import UploadRules, store_upload
from ..versions.versions import create_version, set_published
from .demo_clock import Clock

REPOSITORY = {"name": "Demo Files", "code": "DEMO"}
STRUCTURE_NAME = "Demo Structure"
# One folder per line under the repository, made for each project.
FOLDERS = "{{ project.code }}/Assets\n{{ project.code }}/Sequences"
FILENAME = "{{ version.nice_name }}_v{{ '%03d' % version.version_number }}"
_ASSET_FOLDER = "Assets/{{ asset.type or 'Other' }}/{{ asset.nice_name }}"
_SEQUENCE_FOLDER = "Sequences/{{ sequence.code or sequence.nice_name }}"
_SHOT_FOLDER = (
    "Sequences/{% if sequence %}{{ sequence.code or sequence.nice_name }}/{% endif %}"
    "{{ shot.code or shot.nice_name }}"
)
# Target: (name, path). A step (a Task) goes in a folder of its own under its asset, shot or
# sequence; a task outside them under Tasks/, by its path.
TEMPLATES = {
    "Task": (
        "Steps",
        "{{ project.code }}/"
        f"{{% if asset %}}{_ASSET_FOLDER}/{{{{ task.nice_name }}}}"
        f"{{% elif shot %}}{_SHOT_FOLDER}/{{{{ task.nice_name }}}}"
        f"{{% elif sequence %}}{_SEQUENCE_FOLDER}/{{{{ task.nice_name }}}}"
        "{% else %}Tasks/{% for parent in parent_tasks %}{{ parent.nice_name }}"
        "{% if not loop.last %}/{% endif %}{% endfor %}{% endif %}",
    ),
    "Asset": ("Assets", "{{ project.code }}/" + _ASSET_FOLDER),
    "Sequence": ("Sequences", "{{ project.code }}/" + _SEQUENCE_FOLDER),
    "Shot": ("Shots", "{{ project.code }}/" + _SHOT_FOLDER),
}
PICTURE_SIZE = (320, 180)
PICTURE_FONT_SIZE = 20
MAX_PICTURE_BYTES = 4 * 1024 * 1024


def make_repository(dbsession: Session, root: str | os.PathLike | None) -> Repository:
    """The demo's repository at ``root`` on this system (made if missing; a new temporary
    folder when None)."""
    folder = os.path.abspath(root) if root else tempfile.mkdtemp(prefix="stalker-web-demo-")
    os.makedirs(folder, exist_ok=True)
    roots = {f"{os_name}_path": None for os_name in ("linux", "windows", "macos")}
    roots[f"{current_os()}_path"] = folder
    return create_repository(
        dbsession,
        **REPOSITORY,
        description="Where the demo studio's versions are stored.",
        **roots,
    )


def make_structure(dbsession: Session) -> Structure:
    """The demo's structure: a filename template for steps, assets, sequences and shots."""
    structure = create_structure(
        dbsession,
        name=STRUCTURE_NAME,
        description="Assets by type and shots by sequence, a folder per step.",
        custom_template=FOLDERS,
    )
    for target, (name, path) in TEMPLATES.items():
        add_template(
            dbsession,
            structure,
            target_entity_type=target,
            name=name,
            path=path,
            filename=FILENAME,
            description="",
        )
    return structure


def lay_out(
    dbsession: Session, project: Project, structure: Structure, repository: Repository
) -> None:
    """Give ``project`` the demo's structure and repository, so files can be stored at once."""
    project.structure = structure
    add_repository(dbsession, project, repository.id)


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, ValueError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def picture(title: str, subtitle: str, colour: str, number: int) -> bytes:
    """A small PNG standing for a render: ``colour`` fading to dark, a shape that grows more
    detailed with each version ``number``, and the two lines of text."""
    width, height = PICTURE_SIZE
    base = Image.new("RGB", PICTURE_SIZE, colour)
    shade = Image.linear_gradient("L").resize(PICTURE_SIZE)
    image = Image.composite(Image.new("RGB", PICTURE_SIZE, "#101418"), base, shade)
    draw = ImageDraw.Draw(image)
    middle = (width // 2, height // 2 - 20)
    for ring in range(min(number, 4)):
        radius = 50 - 10 * ring
        box = (middle[0] - radius, middle[1] - radius, middle[0] + radius, middle[1] + radius)
        draw.ellipse(box, outline="#f4f1ea", width=3 if ring == 0 else 2)
    draw.rectangle((0, height - 50, width, height), fill="#0b0d10")
    draw.text((12, height - 46), title, fill="#ffffff", font=_font(PICTURE_FONT_SIZE))
    draw.text((12, height - 20), subtitle, fill="#d8d8d8", font=_font(PICTURE_FONT_SIZE - 7))
    output = io.BytesIO()
    image.save(output, "PNG", optimize=False, compress_level=1)
    return output.getvalue()


class Versions:
    """Versions made as an artist makes them (the version, then the picture uploaded to it),
    each dated on ``clock`` when it was made and published."""

    def __init__(self, dbsession: Session, colours: dict[str, str], clock: Clock) -> None:
        self.dbsession, self.colours, self.clock = dbsession, colours, clock
        studio_config = load_studio_config()
        self.rules = UploadRules(
            extensions=(".png",),
            max_bytes=MAX_PICTURE_BYTES,
            thumbnail_pixels=UploadRules.from_config(studio_config).thumbnail_pixels,
        )
        self.made: dict[int, datetime] = {}

    def add(
        self,
        task: Task,
        owner_name: str,
        author: User,
        moment: datetime,
        made_from: Version | None = None,
    ) -> Version:
        """One more version of ``task`` (of ``owner_name``, its asset or shot) by ``author``,
        made at ``moment`` from the version ``made_from``."""
        version = create_version(
            self.dbsession,
            task,
            parent_id=made_from.id if made_from else None,
            created_with="Demo",
            description="",
        )
        colour = self.colours.get(task.type.name if task.type else "", "#59606b")
        number = version.version_number
        image = picture(
            f"{owner_name} {task.name}", f"v{number:03d} by {author.name}", colour, number
        )
        stored = store_upload(
            self.dbsession,
            version,
            filename=f"{owner_name}_{task.name}_v{number:03d}.png".replace(" ", "_"),
            stream=io.BytesIO(image),
            rules=self.rules,
        )
        self.made[version.id] = moment
        self.clock.date(Version, version.id, moment)
        self.clock.date(File, stored.id, moment)
        return version

    def publish(self, version: Version, moment: datetime) -> None:
        """Publish ``version`` (the artist's last of a finished or reviewed task) at
        ``moment``."""
        set_published(self.dbsession, version, True, submitted_version=version.version_id)
        self.clock.date(Version, version.id, self.made[version.id], moment)
