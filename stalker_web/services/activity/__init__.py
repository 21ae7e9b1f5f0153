"""Activity: the records of who did what and when, written from the domain events in the
transaction of the change, for the project feed and each entity's history."""
