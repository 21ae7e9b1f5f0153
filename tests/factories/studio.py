"""Builder of the studio row."""

from stalker_web.services.studio.initial_data import ensure_studio


class StudioFactory:
    """Reaches the studio every test database holds."""

    def studio(self):
        """The studio row every test database holds."""
        return ensure_studio(self.dbsession, self.config)
