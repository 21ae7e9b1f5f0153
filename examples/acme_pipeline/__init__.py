"""ACME's pipeline additions to stalker_web: the cameras of a shot, with their table, page and API
resource (an example of extending the model without forking: see examples/README.md)."""


def includeme(config) -> None:
    """Routes on the app's context factories, then the page and API views."""
    from stalker_web.api.routes import BASE
    from stalker_web.resources import task_factory
    from stalker_web.routes import ID

    config.add_route("acme.cameras", f"/tasks/{{task_id:{ID}}}/cameras", factory=task_factory)
    config.add_route(
        "api.acme.cameras", f"{BASE}/tasks/{{task_id:{ID}}}/cameras", factory=task_factory
    )
    config.scan(".views")
    config.scan(".api")
