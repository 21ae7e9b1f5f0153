"""Structure and FilenameTemplate: how a project's folders and file names are generated."""

from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .meta import Base, InvalidValue
from .mixins import EntityMixin

TEMPLATE_TARGETS = ("Task", "Asset", "Sequence", "Scene", "Shot", "Variant")

structure_filename_templates = Table(
    "structure_filename_templates",
    Base.metadata,
    Column("structure_id", ForeignKey("structures.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "filename_template_id",
        ForeignKey("filename_templates.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


def checked_template(key: str, source: str | None, label: str) -> str:
    """Jinja2 ``source`` (None → ""), refused when it does not parse; never rendered here."""
    text = source or ""
    try:
        SandboxedEnvironment().parse(text)
    except TemplateSyntaxError as error:
        problem = (error.message or "").rstrip(".")
        raise InvalidValue(
            key, f"{label} is not a valid template: {problem} (line {error.lineno})."
        ) from error
    return text


class FilenameTemplate(EntityMixin, Base):
    """Stalker's FilenameTemplate: Jinja2 ``path`` and ``filename`` for one kind of task."""

    __tablename__ = "filename_templates"

    target_entity_type: Mapped[str] = mapped_column(String(128), index=True)
    path: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(Text, default="")

    @validates("target_entity_type")
    def _validate_target(self, key: str, value: str | None) -> str:
        if value not in TEMPLATE_TARGETS:
            raise InvalidValue(
                key, f"A filename template is for one of {', '.join(TEMPLATE_TARGETS)}."
            )
        return value

    @validates("path", "filename")
    def _validate_source(self, key: str, value: str | None) -> str:
        return checked_template(key, value, "The path" if key == "path" else "The file name")


class Structure(EntityMixin, Base):
    """Stalker's Structure: filename templates (one per target) and a folder template."""

    __tablename__ = "structures"

    custom_template: Mapped[str] = mapped_column(Text, default="")
    templates: Mapped[list[FilenameTemplate]] = relationship(
        secondary=structure_filename_templates, order_by=FilenameTemplate.id
    )

    @validates("custom_template")
    def _validate_custom_template(self, key: str, value: str | None) -> str:
        return checked_template(key, value, "The folder template")

    @validates("templates")
    def _validate_template(self, key: str, template: FilenameTemplate) -> FilenameTemplate:
        for other in self.templates:
            if other is not template and other.target_entity_type == template.target_entity_type:
                raise InvalidValue(
                    key,
                    f"This structure already has a template for {template.target_entity_type}: "
                    f"{other.name}.",
                )
        return template

    def template_for(self, entity_type: str) -> FilenameTemplate | None:
        """The template whose target is exactly ``entity_type`` (no fallback, as in Stalker)."""
        return next(
            (item for item in self.templates if item.target_entity_type == entity_type), None
        )
