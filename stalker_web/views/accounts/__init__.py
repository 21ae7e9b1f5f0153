"""Pages of users, groups, roles, departments, permissions, sign-in and sessions."""
