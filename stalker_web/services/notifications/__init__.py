"""Notifications: who is told of which activity record, through which channel (each person
chooses per kind), the inbox, and the e-mails the worker sends after the commit."""
