"""Users, groups, roles, departments, passwords, sign-in, sessions and rights."""
