"""The one route table of the application."""

from . import resources

ID = r"\d+"


def includeme(config) -> None:
    config.add_static_view("static", "stalker_web:static", cache_max_age=3600)

    config.add_route("home", "/")
    config.add_route("login", "/login")
    config.add_route("logout", "/logout")
    config.add_route("profile.view", "/profile")
    config.add_route("profile.password", "/profile/password")

    config.add_route("users.list", "/users")
    config.add_route("users.export", "/users.csv")
    config.add_route("users.create", "/users/new")
    user = {"factory": resources.user_factory}
    config.add_route("users.view", f"/users/{{user_id:{ID}}}", **user)
    config.add_route("users.edit", f"/users/{{user_id:{ID}}}/edit", **user)
    config.add_route("users.deactivate", f"/users/{{user_id:{ID}}}/deactivate", **user)
    config.add_route("users.activate", f"/users/{{user_id:{ID}}}/activate", **user)
    config.add_route("users.permissions", f"/users/{{user_id:{ID}}}/permissions", **user)

    config.add_route("departments.list", "/departments")
    config.add_route("departments.create", "/departments/new")
    department = {"factory": resources.department_factory}
    base = f"/departments/{{department_id:{ID}}}"
    config.add_route("departments.view", base, **department)
    config.add_route("departments.edit", f"{base}/edit", **department)
    config.add_route("departments.delete", f"{base}/delete", **department)
    config.add_route("departments.members.add", f"{base}/members", **department)
    config.add_route(
        "departments.members.update", f"{base}/members/{{member_id:{ID}}}", **department
    )
    config.add_route(
        "departments.members.remove", f"{base}/members/{{member_id:{ID}}}/remove", **department
    )

    config.add_route("groups.list", "/groups")
    config.add_route("groups.create", "/groups/new")
    group = {"factory": resources.group_factory}
    base = f"/groups/{{group_id:{ID}}}"
    config.add_route("groups.view", base, **group)
    config.add_route("groups.edit", f"{base}/edit", **group)
    config.add_route("groups.delete", f"{base}/delete", **group)
    config.add_route("groups.permissions", f"{base}/permissions", **group)
    config.add_route("groups.members.add", f"{base}/members", **group)
    config.add_route("groups.members.remove", f"{base}/members/{{member_id:{ID}}}/remove", **group)

    config.add_route("roles.list", "/roles")
    config.add_route("roles.create", "/roles/new")
    role = {"factory": resources.role_factory}
    config.add_route("roles.edit", f"/roles/{{role_id:{ID}}}/edit", **role)
    config.add_route("roles.delete", f"/roles/{{role_id:{ID}}}/delete", **role)

    config.add_route("projects.list", "/projects")
    config.add_route("projects.create", "/projects/new")
    project = {"factory": resources.project_factory}
    base = f"/projects/{{project_id:{ID}}}"
    config.add_route("projects.view", base, **project)
    config.add_route("projects.edit", f"{base}/edit", **project)
    config.add_route("projects.members.add", f"{base}/members", **project)
    config.add_route("projects.members.update", f"{base}/members/{{member_id:{ID}}}", **project)
    config.add_route(
        "projects.members.remove", f"{base}/members/{{member_id:{ID}}}/remove", **project
    )

    config.add_route("studio.settings", "/studio")
    config.add_route("auth_log.list", "/authentication-log")
