"""The error a studio configuration that cannot be used raises, naming the offending key."""


class ConfigError(ValueError):
    """The studio configuration is not valid; the message names the offending key."""
