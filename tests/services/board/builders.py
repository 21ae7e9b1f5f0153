"""A project laid out for the production board: shot steps Animation and Lighting, the asset
step Model, sequences of shots and assets each with their step tasks."""

from dataclasses import dataclass, field

from stalker_web.models import Project, ProjectStep, ProjectUser, Task, Type, User

from ...factories.accounts import cheap_users


@dataclass
class BoardProject:
    """What a board test looks at."""

    project: Project
    animation: Type
    lighting: Type
    model: Type
    users: list[User]
    sequences: list[Task] = field(default_factory=list)
    shots: list[Task] = field(default_factory=list)
    assets: list[Task] = field(default_factory=list)
    # The step tasks of each shot and asset by (row id, step name).
    cells: dict[tuple[int, str], Task] = field(default_factory=dict)


def step(factory, name: str, color: str | None = None) -> Type:
    """The task type ``name`` with ``color``."""
    kind = factory.task_type("Task", name)
    kind.color = color
    return kind


def board_project(factory, scale: int = 1, users: list[User] | None = None) -> BoardProject:
    """``scale`` sequences of ``scale`` shots with Animation and Lighting tasks (the first
    user's and the second's), and ``scale`` assets with a Model task; the board's columns are
    Animation, Lighting (shots) and Model (assets)."""
    project = factory.project()
    users = users or cheap_users(factory.dbsession, 2)
    for user in users:
        project.members.append(ProjectUser(user=user))
    built = BoardProject(
        project,
        step(factory, "Animation", "#3366cc"),
        step(factory, "Lighting", "#cc9933"),
        step(factory, "Model", None),
        users,
    )
    for position, (target, kind) in enumerate(
        (("Shot", built.animation), ("Shot", built.lighting), ("Asset", built.model))
    ):
        factory.dbsession.add(
            ProjectStep(project_id=project.id, target=target, type=kind, position=position)
        )
    for _ in range(scale):
        sequence = factory.task("Sequence", project=project)
        built.sequences.append(sequence)
        for number in range(scale):
            shot = factory.task(
                "Shot", parent=sequence, sequence=sequence, cut_in=1001, cut_out=1048 + number
            )
            built.shots.append(shot)
            for kind, people in ((built.animation, users[:1]), (built.lighting, users[1:])):
                task = factory.task(parent=shot, name=kind.name, type=kind, resources=people)
                built.cells[(shot.id, kind.name)] = task
    for _ in range(scale):
        asset = factory.task("Asset", project=project)
        built.assets.append(asset)
        built.cells[(asset.id, "Model")] = factory.task(
            parent=asset, name="Model", type=built.model, resources=users[:1]
        )
    factory.dbsession.flush()
    return built
