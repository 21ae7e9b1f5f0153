"""Pipeline steps and the other kinds of Type, and the steps that make a project's board columns."""
