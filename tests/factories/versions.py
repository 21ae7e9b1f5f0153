"""Builders of versions and their files, with or without a thumbnail."""

from stalker_web.models import File
from stalker_web.services.versions.versions import create_version, set_published

from .counter import next_number


class VersionsFactory:
    """Builds versions of tasks and the files they produced."""

    def version(self, task, *, thumbnail: bool = True, published: bool = False, repository=None):
        """A new version of ``task`` (numbered by the service) with one image file, which has a
        thumbnail unless ``thumbnail`` is False; published when ``published``."""
        version = create_version(self.dbsession, task)
        if published:
            set_published(self.dbsession, version, True, submitted_version=version.version_id)
        name = f"{task.name}_v{version.version_number:03d}_{next_number()}"
        self.dbsession.add(
            File(
                version=version,
                repository=repository or self.repository(),
                relative_path=f"renders/{name}.png",
                thumbnail_path=f"renders/.thumbnails/{name}.png" if thumbnail else None,
                mime_type="image/png",
            )
        )
        self.dbsession.flush()
        return version
