"""The API of tasks: the studio's task tree (tasks, assets, sequences, shots...) as the caller
may see it, filtered, one task with what it waits for, and a project's breakdown."""
