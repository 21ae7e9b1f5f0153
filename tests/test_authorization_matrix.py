"""The authorization matrix: every view of every route, requested by every kind of person.

The rows are found in Pyramid's introspector (each route with the views registered for it and
their request methods), so a route added without a row in ``EXPECTED`` fails
``test_every_route_has_a_row``, and so does a row whose route is gone. The people and the rows the
URLs name are described in ``tests/matrix_objects.py``.

A GET view is requested with a GET; a POST view with a POST carrying the session's CSRF token and
nothing else, so where the person is allowed the form is usually refused (400) or the action done
(303). Each request runs in a savepoint rolled back afterwards, with the cookies restored, so no
cell sees what another did (a deletion, a log-out).

The expected answers are what the product should do (issue 9): members read a project and its
tasks; members holding a role with the ``manages_project`` flag (whatever its name) edit them; a
task's resources log time, request reviews and create versions, but only while members of the
project; a department's members holding a role with ``manages_department`` read and update it;
people read their own user record and change their own vacations, time logs and sessions; every
other right comes from class-level Permission rows, which only the admin group holds here.
"""

from dataclasses import dataclass
from http.cookiejar import Cookie
from urllib.parse import urlparse

import pytest

from stalker_web.models import Task
from stalker_web.services.transactions import hold_write_lock

from .conftest import login
from .matrix_objects import ROLES, build_matrix_studio, default_role

# ok    = 2xx, a 3xx to anywhere but the login page, or a 400 form refusal
# login = a 3xx to the login page
# 403, 404 = that status
# Never expected, but what a cell may answer instead: "csrf" (the "form has expired" page: the
# token was refused) or any other status ("500").
# A route's views answering only one action of its URL (``match_param``) are named
# "route:action".
EXPECTED: dict[tuple[str, str], str] = {
    # (view, method):                                admin prodr lead  artst outsd nogrp anon
    ("home", "GET"):                                "ok    ok    ok    ok    ok    ok    login",
    ("home", "POST"):                               "ok    ok    ok    ok    ok    ok    login",
    ("login", "GET"):                               "ok    ok    ok    ok    ok    ok    ok",
    ("login", "POST"):                              "ok    ok    ok    ok    ok    ok    ok",
    # Without a password step just passed, the code step sends everybody back to log in.
    ("login.two_factor", "GET"):                    "login login login login login login login",
    ("login.two_factor", "POST"):                   "login login login login login login login",
    ("logout", "GET"):                              "ok    ok    ok    ok    ok    ok    ok",
    ("logout", "POST"):                             "login login login login login login login",
    ("profile.view", "GET"):                        "ok    ok    ok    ok    ok    ok    login",
    ("profile.view", "POST"):                       "ok    ok    ok    ok    ok    ok    login",
    ("profile.password", "GET"):                    "ok    ok    ok    ok    ok    ok    login",
    ("profile.password", "POST"):                   "ok    ok    ok    ok    ok    ok    login",
    ("profile.two_factor", "GET"):                  "ok    ok    ok    ok    ok    ok    login",
    ("profile.two_factor.start", "POST"):           "ok    ok    ok    ok    ok    ok    login",
    ("profile.two_factor.confirm", "POST"):         "ok    ok    ok    ok    ok    ok    login",
    ("profile.two_factor.recovery_codes", "POST"):  "ok    ok    ok    ok    ok    ok    login",
    ("profile.two_factor.disable", "POST"):         "ok    ok    ok    ok    ok    ok    login",
    # The session is the artist's other one (a laptop): nobody else has a session of that id.
    ("profile.sessions", "GET"):                    "ok    ok    ok    ok    ok    ok    login",
    ("profile.sessions.revoke", "POST"):            "404   404   404   ok    404   404   login",
    ("profile.sessions.revoke_others", "POST"):     "ok    ok    ok    ok    ok    ok    login",
    # API tokens: everybody's own page; the token is the artist's, nobody else has one of its id.
    ("profile.api_tokens", "GET"):                  "ok    ok    ok    ok    ok    ok    login",
    ("profile.api_tokens", "POST"):                 "ok    ok    ok    ok    ok    ok    login",
    ("profile.api_tokens.revoke", "POST"):          "404   404   404   ok    404   404   login",
    # Users: the admin group, and each person their own record (the artist's, here).
    ("users.list", "GET"):                          "ok    403   403   403   403   403   login",
    ("users.export", "GET"):                        "ok    403   403   403   403   403   login",
    ("users.create", "GET"):                        "ok    403   403   403   403   403   login",
    ("users.create", "POST"):                       "ok    403   403   403   403   403   login",
    ("users.view", "GET"):                          "ok    403   403   ok    403   403   login",
    ("users.edit", "GET"):                          "ok    403   403   403   403   403   login",
    ("users.edit", "POST"):                         "ok    403   403   403   403   403   login",
    ("users.deactivate", "POST"):                   "ok    403   403   403   403   403   login",
    ("users.activate", "POST"):                     "ok    403   403   403   403   403   login",
    ("users.permissions", "GET"):                   "ok    403   403   403   403   403   login",
    ("users.permissions", "POST"):                  "ok    403   403   403   403   403   login",
    ("users.sessions.revoke", "POST"):              "ok    403   403   403   403   403   login",
    # A person's chart and workload: themselves, and the managers of their projects and
    # departments (the artist is on Matrix, which the producer and the lead manage).
    ("users.gantt", "GET"):                         "ok    ok    ok    ok    403   403   login",
    ("users.workload", "GET"):                      "ok    ok    ok    ok    403   403   login",
    # The people a picker offers (names and departments only) to anybody signed in.
    ("users.search", "GET"):                        "ok    ok    ok    ok    ok    ok    login",
    ("users.vacations", "GET"):                     "ok    403   403   ok    403   403   login",
    # Departments: their Lead reads and updates them; a plain member (the artist) does not.
    ("departments.list", "GET"):                    "ok    403   403   403   403   403   login",
    ("departments.create", "GET"):                  "ok    403   403   403   403   403   login",
    ("departments.create", "POST"):                 "ok    403   403   403   403   403   login",
    ("departments.view", "GET"):                    "ok    403   ok    403   403   403   login",
    ("departments.edit", "GET"):                    "ok    403   ok    403   403   403   login",
    ("departments.edit", "POST"):                   "ok    403   ok    403   403   403   login",
    ("departments.delete", "POST"):                 "ok    403   403   403   403   403   login",
    ("departments.members.add", "POST"):            "ok    403   ok    403   403   403   login",
    ("departments.members.update", "POST"):         "ok    403   ok    403   403   403   login",
    ("departments.members.remove", "POST"):         "ok    403   ok    403   403   403   login",
    ("departments.gantt", "GET"):                   "ok    403   ok    403   403   403   login",
    ("departments.workload", "GET"):                "ok    403   ok    403   403   403   login",
    # The workload landing page lists only the teams the person may see.
    ("workload.index", "GET"):                      "ok    ok    ok    ok    ok    ok    login",
    # Types and pipeline steps: class-level rights only (the Producers group holds them).
    ("types.list", "GET"):                          "ok    403   403   403   403   403   login",
    ("types.create", "GET"):                        "ok    403   403   403   403   403   login",
    ("types.create", "POST"):                       "ok    403   403   403   403   403   login",
    ("types.edit", "GET"):                          "ok    403   403   403   403   403   login",
    ("types.edit", "POST"):                         "ok    403   403   403   403   403   login",
    ("types.delete", "POST"):                       "ok    403   403   403   403   403   login",
    # Groups, permissions and roles: class-level rights only.
    ("groups.list", "GET"):                         "ok    403   403   403   403   403   login",
    ("groups.create", "GET"):                       "ok    403   403   403   403   403   login",
    ("groups.create", "POST"):                      "ok    403   403   403   403   403   login",
    ("groups.view", "GET"):                         "ok    403   403   403   403   403   login",
    ("groups.edit", "GET"):                         "ok    403   403   403   403   403   login",
    ("groups.edit", "POST"):                        "ok    403   403   403   403   403   login",
    ("groups.delete", "POST"):                      "ok    403   403   403   403   403   login",
    ("groups.permissions", "GET"):                  "ok    403   403   403   403   403   login",
    ("groups.permissions", "POST"):                 "ok    403   403   403   403   403   login",
    ("groups.members.add", "POST"):                 "ok    403   403   403   403   403   login",
    ("groups.members.remove", "POST"):              "ok    403   403   403   403   403   login",
    ("roles.list", "GET"):                          "ok    403   403   403   403   403   login",
    ("roles.create", "GET"):                        "ok    403   403   403   403   403   login",
    ("roles.create", "POST"):                       "ok    403   403   403   403   403   login",
    ("roles.edit", "GET"):                          "ok    403   403   403   403   403   login",
    ("roles.edit", "POST"):                         "ok    403   403   403   403   403   login",
    ("roles.delete", "POST"):                       "ok    403   403   403   403   403   login",
    # Projects: members read, managers edit; creating and deleting projects is class-level.
    ("projects.list", "GET"):                       "ok    ok    ok    ok    ok    ok    login",
    ("projects.create", "GET"):                     "ok    403   403   403   403   403   login",
    ("projects.create", "POST"):                    "ok    403   403   403   403   403   login",
    ("projects.view", "GET"):                       "ok    ok    ok    ok    403   403   login",
    ("projects.edit", "GET"):                       "ok    ok    ok    403   403   403   login",
    ("projects.edit", "POST"):                      "ok    ok    ok    403   403   403   login",
    ("projects.members", "GET"):                    "ok    ok    ok    ok    403   403   login",
    ("projects.members", "POST"):                   "ok    ok    ok    403   403   403   login",
    ("projects.members.update", "POST"):            "ok    ok    ok    403   403   403   login",
    ("projects.members.remove", "GET"):             "ok    ok    ok    403   403   403   login",
    ("projects.members.remove", "POST"):            "ok    ok    ok    403   403   403   login",
    ("projects.delete", "POST"):                    "ok    403   403   403   403   403   login",
    ("projects.settings", "GET"):                   "ok    ok    ok    403   403   403   login",
    ("projects.settings", "POST"):                  "ok    ok    ok    403   403   403   login",
    ("projects.repositories", "POST"):              "ok    ok    ok    403   403   403   login",
    ("projects.tasks", "GET"):                      "ok    ok    ok    ok    403   403   login",
    ("projects.tasks.create", "GET"):               "ok    ok    ok    403   403   403   login",
    ("projects.tasks.create", "POST"):              "ok    ok    ok    403   403   403   login",
    ("projects.shots.range", "GET"):                "ok    ok    ok    403   403   403   login",
    ("projects.shots.range", "POST"):               "ok    ok    ok    403   403   403   login",
    ("projects.tasks.template", "GET"):             "ok    ok    ok    403   403   403   login",
    ("projects.tasks.template", "POST"):            "ok    ok    ok    403   403   403   login",
    ("projects.breakdown.export", "GET"):           "ok    ok    ok    ok    403   403   login",
    ("projects.breakdown.import", "GET"):           "ok    ok    ok    403   403   403   login",
    ("projects.breakdown.import", "POST"):          "ok    ok    ok    403   403   403   login",
    ("projects.breakdown.import_progress", "GET"):  "ok    ok    ok    403   403   403   login",
    ("projects.gantt", "GET"):                      "ok    ok    ok    ok    403   403   login",
    ("projects.slips", "GET"):                      "ok    ok    ok    ok    403   403   login",
    ("projects.critical_path", "GET"):              "ok    ok    ok    ok    403   403   login",
    ("projects.board", "GET"):                      "ok    ok    ok    ok    403   403   login",
    ("projects.board.export", "GET"):               "ok    ok    ok    ok    403   403   login",
    ("projects.board.bulk", "POST"):                "ok    ok    ok    403   403   403   login",
    ("projects.lateness", "GET"):                   "ok    ok    ok    ok    403   403   login",
    ("projects.steps", "GET"):                      "ok    ok    ok    403   403   403   login",
    ("projects.steps", "POST"):                     "ok    ok    ok    403   403   403   login",
    ("projects.workload", "GET"):                   "ok    ok    ok    403   403   403   login",
    # Tasks: members read, managers edit, resources work on them while members; the outsider
    # is still a resource of the task but no longer a member.
    ("tasks.view", "GET"):                          "ok    ok    ok    ok    403   403   login",
    ("tasks.children", "GET"):                      "ok    ok    ok    ok    403   403   login",
    ("tasks.gantt_rows", "GET"):                    "ok    ok    ok    ok    403   403   login",
    ("tasks.edit", "GET"):                          "ok    ok    ok    403   403   403   login",
    ("tasks.edit", "POST"):                         "ok    ok    ok    403   403   403   login",
    ("tasks.move", "GET"):                          "ok    ok    ok    403   403   403   login",
    ("tasks.move", "POST"):                         "ok    ok    ok    403   403   403   login",
    ("tasks.delete", "POST"):                       "ok    ok    ok    403   403   403   login",
    ("tasks.dependencies.add", "GET"):              "ok    ok    ok    403   403   403   login",
    ("tasks.dependencies.add", "POST"):             "ok    ok    ok    403   403   403   login",
    ("tasks.dependencies.remove", "POST"):          "ok    ok    ok    403   403   403   login",
    ("tasks.status:hold", "POST"):                  "ok    ok    ok    403   403   403   login",
    ("tasks.status:resume", "POST"):                "ok    ok    ok    403   403   403   login",
    ("tasks.status:stop", "POST"):                  "ok    ok    ok    403   403   403   login",
    ("tasks.status:request_review", "POST"):        "ok    ok    ok    ok    403   403   login",
    ("tasks.status:request_revision", "POST"):      "ok    ok    ok    403   403   403   login",
    ("tasks.time_logs.add", "GET"):                 "ok    ok    ok    ok    403   403   login",
    ("tasks.time_logs.add", "POST"):                "ok    ok    ok    ok    403   403   login",
    ("tasks.versions.create", "GET"):               "ok    ok    ok    ok    403   403   login",
    ("tasks.versions.create", "POST"):              "ok    ok    ok    ok    403   403   login",
    ("my.tasks", "GET"):                            "ok    ok    ok    ok    ok    ok    login",
    ("my.timesheet", "GET"):                        "ok    ok    ok    ok    ok    ok    login",
    ("my.timesheet", "POST"):                       "ok    ok    ok    ok    ok    ok    login",
    ("my.timesheet.grid", "POST"):                  "ok    ok    ok    ok    ok    ok    login",
    ("my.timesheet.submit", "POST"):                "ok    ok    ok    ok    ok    ok    login",
    # A department's submitted weeks: its leads (a manages_department role) and the admins.
    ("departments.timesheets", "GET"):              "ok    403   ok    403   403   403   login",
    ("departments.timesheets.lock", "POST"):        "ok    403   ok    403   403   403   login",
    # The time log is the artist's: they change it; managers' rights stop at the task.
    ("time_logs.edit", "GET"):                      "ok    403   403   ok    403   403   login",
    ("time_logs.edit", "POST"):                     "ok    403   403   ok    403   403   login",
    ("time_logs.delete", "POST"):                   "ok    403   403   ok    403   403   login",
    # The review asks the lead (responsible for the task); producers answer any review.
    ("reviews.inbox", "GET"):                       "ok    ok    ok    ok    ok    ok    login",
    ("reviews.answer", "POST"):                     "ok    ok    ok    403   403   403   login",
    # Dailies (issue 14, reviews and dailies part): members read them, the project's managers
    # (producer, lead) run them; answering a version needs the right to answer that task's
    # reviews, as in the inbox; a note on a daily is a note on the project.
    ("projects.dailies", "GET"):                    "ok    ok    ok    ok    403   403   login",
    ("projects.dailies", "POST"):                   "ok    ok    ok    403   403   403   login",
    ("dailies.view", "GET"):                        "ok    ok    ok    ok    403   403   login",
    ("dailies.versions.add", "GET"):                "ok    ok    ok    403   403   403   login",
    ("dailies.versions.add", "POST"):               "ok    ok    ok    403   403   403   login",
    ("dailies.versions.collect", "POST"):           "ok    ok    ok    403   403   403   login",
    ("dailies.versions.move", "POST"):              "ok    ok    ok    403   403   403   login",
    ("dailies.versions.remove", "POST"):            "ok    ok    ok    403   403   403   login",
    ("dailies.walk", "GET"):                        "ok    ok    ok    ok    403   403   login",
    ("dailies.answer", "POST"):                     "ok    ok    ok    403   403   403   login",
    ("dailies.close", "POST"):                      "ok    ok    ok    403   403   403   login",
    ("dailies.notes.add", "POST"):                  "ok    ok    ok    ok    403   403   login",
    ("versions.view", "GET"):                       "ok    ok    ok    ok    403   403   login",
    ("versions.publish", "POST"):                   "ok    ok    ok    ok    403   403   login",
    ("versions.unpublish", "POST"):                 "ok    ok    ok    ok    403   403   login",
    ("versions.files.upload", "POST"):              "ok    ok    ok    ok    403   403   login",
    ("files.download", "GET"):                      "ok    ok    ok    ok    403   403   login",
    ("files.thumbnail", "GET"):                     "ok    ok    ok    ok    403   403   login",
    # Notes (issue 14, notes part): members write them on anything of the project; the note is
    # the artist's, so only they change it (nobody else, the admins neither: a note is its
    # author's words); whoever reads the project reads its history and files.
    ("projects.notes.add", "POST"):                 "ok    ok    ok    ok    403   403   login",
    ("tasks.notes.add", "POST"):                    "ok    ok    ok    ok    403   403   login",
    ("versions.notes.add", "POST"):                 "ok    ok    ok    ok    403   403   login",
    ("reviews.notes.add", "POST"):                  "ok    ok    ok    ok    403   403   login",
    ("notes.edit", "GET"):                          "403   403   403   ok    403   403   login",
    ("notes.edit", "POST"):                         "403   403   403   ok    403   403   login",
    ("notes.history", "GET"):                       "ok    ok    ok    ok    403   403   login",
    ("notes.attachments.download", "GET"):          "ok    ok    ok    ok    403   403   login",
    ("notes.attachments.thumbnail", "GET"):         "ok    ok    ok    ok    403   403   login",
    # Tickets (issue 14, tickets part): a project's members read, open, edit, link and act on
    # its tickets (the workflow itself refuses what the status does not allow); the outsider,
    # no longer a member, gets nothing; my tickets lists whatever the person is on.
    ("projects.tickets", "GET"):                    "ok    ok    ok    ok    403   403   login",
    ("projects.tickets.export", "GET"):             "ok    ok    ok    ok    403   403   login",
    ("projects.tickets.create", "GET"):             "ok    ok    ok    ok    403   403   login",
    ("projects.tickets.create", "POST"):            "ok    ok    ok    ok    403   403   login",
    ("tickets.view", "GET"):                        "ok    ok    ok    ok    403   403   login",
    ("tickets.edit", "GET"):                        "ok    ok    ok    ok    403   403   login",
    ("tickets.edit", "POST"):                       "ok    ok    ok    ok    403   403   login",
    ("tickets.action", "POST"):                     "ok    ok    ok    ok    403   403   login",
    ("tickets.links.add", "POST"):                  "ok    ok    ok    ok    403   403   login",
    ("tickets.links.remove", "POST"):               "ok    ok    ok    ok    403   403   login",
    ("tickets.related.add", "POST"):                "ok    ok    ok    ok    403   403   login",
    ("tickets.related.remove", "POST"):             "ok    ok    ok    ok    403   403   login",
    ("tickets.notes.add", "POST"):                  "ok    ok    ok    ok    403   403   login",
    ("my.tickets", "GET"):                          "ok    ok    ok    ok    ok    ok    login",
    # Activity and notifications (issue 14, notifications part): everybody's own inbox and
    # preferences (marking reads only one's own); a project's feed for whoever reads it.
    ("inbox", "GET"):                               "ok    ok    ok    ok    ok    ok    login",
    ("inbox.read", "POST"):                         "ok    ok    ok    ok    ok    ok    login",
    ("inbox.read_all", "POST"):                     "ok    ok    ok    ok    ok    ok    login",
    ("profile.notifications", "GET"):               "ok    ok    ok    ok    ok    ok    login",
    ("profile.notifications", "POST"):              "ok    ok    ok    ok    ok    ok    login",
    ("projects.activity", "GET"):                   "ok    ok    ok    ok    403   403   login",
    # Repositories, structures and filename templates: class-level rights only.
    ("repositories.list", "GET"):                   "ok    403   403   403   403   403   login",
    ("repositories.create", "GET"):                 "ok    403   403   403   403   403   login",
    ("repositories.create", "POST"):                "ok    403   403   403   403   403   login",
    ("repositories.edit", "GET"):                   "ok    403   403   403   403   403   login",
    ("repositories.edit", "POST"):                  "ok    403   403   403   403   403   login",
    ("repositories.delete", "POST"):                "ok    403   403   403   403   403   login",
    ("structures.list", "GET"):                     "ok    403   403   403   403   403   login",
    ("structures.create", "GET"):                   "ok    403   403   403   403   403   login",
    ("structures.create", "POST"):                  "ok    403   403   403   403   403   login",
    ("structures.view", "GET"):                     "ok    403   403   403   403   403   login",
    ("structures.edit", "GET"):                     "ok    403   403   403   403   403   login",
    ("structures.edit", "POST"):                    "ok    403   403   403   403   403   login",
    ("structures.delete", "POST"):                  "ok    403   403   403   403   403   login",
    ("structures.templates.add", "POST"):           "ok    403   403   403   403   403   login",
    ("structures.templates.preview", "POST"):       "ok    403   403   403   403   403   login",
    ("structures.templates.edit", "GET"):           "ok    403   403   403   403   403   login",
    ("structures.templates.edit", "POST"):          "ok    403   403   403   403   403   login",
    ("structures.templates.remove", "POST"):        "ok    403   403   403   403   403   login",
    # Vacations: anybody records their own; the vacation is the artist's.
    ("vacations.list", "GET"):                      "ok    403   403   403   403   403   login",
    ("vacations.create", "GET"):                    "ok    ok    ok    ok    ok    ok    login",
    ("vacations.create", "POST"):                   "ok    ok    ok    ok    ok    ok    login",
    ("vacations.edit", "GET"):                      "ok    403   403   ok    403   403   login",
    ("vacations.edit", "POST"):                     "ok    403   403   ok    403   403   login",
    ("vacations.delete", "POST"):                   "ok    403   403   ok    403   403   login",
    # Scheduling: a project's managers schedule it and read its runs (the run is Matrix's); the
    # history and runs of the whole studio, the studio settings and the authentication log
    # need class-level rights.
    ("schedule.runs", "GET"):                       "ok    403   403   403   403   403   login",
    ("schedule.start", "POST"):                     "ok    403   403   403   403   403   login",
    ("projects.schedule", "POST"):                  "ok    ok    ok    403   403   403   login",
    ("schedule.run", "GET"):                        "ok    ok    ok    403   403   403   login",
    ("schedule.run.status", "GET"):                 "ok    ok    ok    403   403   403   login",
    # What-if scenarios: class-level rights only (the Producers group holds them by default).
    ("scenarios.list", "GET"):                      "ok    403   403   403   403   403   login",
    ("scenarios.list", "POST"):                     "ok    403   403   403   403   403   login",
    ("scenarios.view", "GET"):                      "ok    403   403   403   403   403   login",
    ("scenarios.edit", "GET"):                      "ok    403   403   403   403   403   login",
    ("scenarios.edit", "POST"):                     "ok    403   403   403   403   403   login",
    ("scenarios.people.add", "POST"):               "ok    403   403   403   403   403   login",
    ("scenarios.people.edit", "GET"):               "ok    403   403   403   403   403   login",
    ("scenarios.people.edit", "POST"):              "ok    403   403   403   403   403   login",
    ("scenarios.people.remove", "POST"):            "ok    403   403   403   403   403   login",
    ("scenarios.tasks", "GET"):                     "ok    403   403   403   403   403   login",
    ("scenarios.task", "GET"):                      "ok    403   403   403   403   403   login",
    ("scenarios.task", "POST"):                     "ok    403   403   403   403   403   login",
    ("scenarios.task.clear", "POST"):               "ok    403   403   403   403   403   login",
    ("scenarios.schedule", "POST"):                 "ok    403   403   403   403   403   login",
    ("scenarios.compare", "GET"):                   "ok    403   403   403   403   403   login",
    ("scenarios.promote", "GET"):                   "ok    403   403   403   403   403   login",
    ("scenarios.promote", "POST"):                  "ok    403   403   403   403   403   login",
    ("scenarios.discard", "POST"):                  "ok    403   403   403   403   403   login",
    ("studio.settings", "GET"):                     "ok    403   403   403   403   403   login",
    ("studio.settings", "POST"):                    "ok    403   403   403   403   403   login",
    ("auth_log.list", "GET"):                       "ok    403   403   403   403   403   login",
    # The layout's stylesheet: the login page needs it too.
    ("status_colours", "GET"):                      "ok    ok    ok    ok    ok    ok    ok",
    # Webhooks (issue 15, webhooks part): the studio's hooks by class-level rights (admins); the
    # hook of Matrix and its delivery by Matrix's managers too.
    ("webhooks.list", "GET"):                       "ok    403   403   403   403   403   login",
    ("webhooks.create", "GET"):                     "ok    403   403   403   403   403   login",
    ("webhooks.create", "POST"):                    "ok    403   403   403   403   403   login",
    ("projects.webhooks", "GET"):                   "ok    ok    ok    403   403   403   login",
    ("projects.webhooks.create", "GET"):            "ok    ok    ok    403   403   403   login",
    ("projects.webhooks.create", "POST"):           "ok    ok    ok    403   403   403   login",
    ("webhooks.view", "GET"):                       "ok    ok    ok    403   403   403   login",
    ("webhooks.edit", "GET"):                       "ok    ok    ok    403   403   403   login",
    ("webhooks.edit", "POST"):                      "ok    ok    ok    403   403   403   login",
    ("webhooks.secret", "POST"):                    "ok    ok    ok    403   403   403   login",
    ("webhooks.delete", "POST"):                    "ok    ok    ok    403   403   403   login",
    ("webhooks.replay", "POST"):                    "ok    ok    ok    403   403   403   login",
    ("favicon", "GET"):                             "ok    ok    ok    ok    ok    ok    ok",
}  # fmt: skip

CODES = {"ok", "login", "403", "404"}
EXPIRED = "This form has expired"


@dataclass(frozen=True)
class MatrixRequest:
    """One row of the matrix: a view of a route and the method it is requested with."""

    route_name: str
    pattern: str
    method: str
    action: str | None

    @property
    def key(self) -> tuple[str, str]:
        name = self.route_name if self.action is None else f"{self.route_name}:{self.action}"
        return (name, self.method)


def _match_action(match_param) -> str | None:
    """The ``action`` a view's ``match_param`` requires ("action=hold" → "hold")."""
    if match_param is None:
        return None
    params = (match_param,) if isinstance(match_param, str) else tuple(match_param)
    values = dict(param.split("=", 1) for param in params)
    if set(values) != {"action"}:
        raise AssertionError(f"teach the matrix about match_param {match_param!r}")
    return values["action"]


def matrix_requests(introspector) -> dict[tuple[str, str], MatrixRequest]:
    """Every (view, method) of every route; a view without request methods answers GET and
    POST, and a route without any view still needs a row (as a GET)."""
    patterns = {
        item["introspectable"]["name"]: item["introspectable"]["pattern"]
        for item in introspector.get_category("routes")
        # Static files; the API's routes have a matrix of their own (tests/api/test_api_matrix.py)
        if not item["introspectable"]["name"].startswith(("__", "api."))
    }
    requests: dict[tuple[str, str], MatrixRequest] = {}
    for item in introspector.get_category("views"):
        view = item["introspectable"]
        if view["route_name"] not in patterns:
            continue  # error pages
        methods = view["request_methods"] or ("GET", "POST")
        methods = (methods,) if isinstance(methods, str) else methods
        for method in methods:
            if method == "HEAD":
                continue
            request = MatrixRequest(
                view["route_name"],
                patterns[view["route_name"]],
                method,
                _match_action(view["match_param"]),
            )
            requests[request.key] = request
    for name, pattern in patterns.items():
        if not any(request.route_name == name for request in requests.values()):
            requests[(name, "GET")] = MatrixRequest(name, pattern, "GET", None)
    return requests


def test_every_route_has_a_row(app):
    requests = matrix_requests(app.registry.introspector)
    assert sorted(set(requests) - set(EXPECTED)) == [], "routes without a row in EXPECTED"
    assert sorted(set(EXPECTED) - set(requests)) == [], "rows in EXPECTED for no route"
    malformed = {
        key: row
        for key, row in EXPECTED.items()
        if len(row.split()) != len(ROLES) or not set(row.split()) <= CODES
    }
    assert malformed == {}


def test_the_walk_finds_actions_and_routes_without_views():
    from pyramid.config import Configurator

    config = Configurator(settings={})
    config.add_route("viewless", "/viewless")
    config.add_route("status", "/things/{thing_id}/status/{action}")
    for action in ("hold", "stop"):
        config.add_view(
            lambda request: {},
            route_name="status",
            renderer="json",
            request_method="POST",
            match_param=f"action={action}",
        )
    config.add_route("any", "/any")
    config.add_view(lambda request: {}, route_name="any", renderer="json")
    config.commit()
    assert sorted(matrix_requests(config.registry.introspector)) == [
        ("any", "GET"),
        ("any", "POST"),
        ("status:hold", "POST"),
        ("status:stop", "POST"),
        ("viewless", "GET"),
    ]


def answer_code(response) -> str:
    """The matrix's short code for ``response`` (see the legend above ``EXPECTED``)."""
    status = response.status_int
    if 300 <= status < 400:
        return "login" if urlparse(response.location).path == "/login" else "ok"
    if status == 400 and EXPIRED in response.text:
        return "csrf"
    if 200 <= status < 300 or status == 400:
        return "ok"
    return str(status)


def csrf_token_of(testapp, logged_in: bool) -> str:
    """The session's CSRF token: from the layout's logout form, or the login form."""
    page = testapp.get("/" if logged_in else "/login")
    return page.html.find("input", attrs={"name": "csrf_token"})["value"]


def _restore(cookiejar, cookies: list[Cookie]) -> None:
    cookiejar.clear()
    for cookie in cookies:
        cookiejar.set_cookie(cookie)


def test_the_default_manager_roles_carry_their_flags(dbsession):
    """The matrix's lead holds the default Lead role: its flags make them a manager; the default
    Producer role manages projects as the matrix's own "Line Producer" does."""
    flags = {
        name: (role.manages_project, role.manages_department)
        for name in ("Producer", "Lead", "Artist")
        for role in [default_role(dbsession, name)]
    }
    assert flags == {
        "Producer": (True, False),
        "Lead": (True, True),
        "Artist": (False, False),
    }


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(role, app, testapp, factory, dbsession, studio_config, tmp_path):
    studio = build_matrix_studio(factory, studio_config, tmp_path)
    if role != "anonymous":
        login(testapp, studio.people[role].login)
    token = csrf_token_of(testapp, logged_in=role != "anonymous")
    requests = matrix_requests(app.registry.introspector)
    column = ROLES.index(role)
    cells = [
        (key, request, studio.url(request.route_name, request.pattern, request.action))
        for key, request in sorted(requests.items())
        if key in EXPECTED
    ]
    cookies = list(testapp.cookiejar)
    differences = []
    for key, request, url in cells:
        hold_write_lock(dbsession)
        cell = dbsession.begin_nested()
        try:
            if request.method == "GET":
                response = testapp.get(url, status="*")
            else:
                response = testapp.post(url, {"csrf_token": token}, status="*")
        finally:
            cell.rollback()
            dbsession.expire_all()
            _restore(testapp.cookiejar, cookies)
        expected, got = EXPECTED[key].split()[column], answer_code(response)
        if got != expected:
            differences.append(f"{key[1]} {key[0]} ({url}): expected {expected}, got {got}")
    assert len(cells) > 100  # the walk really ran
    # No cell outlived its savepoint: the session and the task are still there.
    testapp.get("/", status=303 if role == "anonymous" else 200)
    assert dbsession.get(Task, studio.ids["task_id"]) is not None
    assert not differences, "\n".join(sorted(differences))


def test_the_codes_tell_a_refused_token_and_a_login_redirect_from_an_answer(testapp, factory):
    assert answer_code(testapp.get("/users", status=303)) == "login"
    login(testapp, factory.user().login)
    token = csrf_token_of(testapp, logged_in=True)
    assert answer_code(testapp.post("/profile", {"csrf_token": "0" * 40}, status=400)) == "csrf"
    assert answer_code(testapp.post("/profile", {"csrf_token": token}, status=400)) == "ok"
    assert answer_code(testapp.get("/users", status=403)) == "403"
    assert answer_code(testapp.get("/logout", status=302)) == "ok"
    assert answer_code(testapp.post("/logout", {"csrf_token": token}, status=303)) == "login"
