"""{{ project_name }}: data, model, training and evaluation{% if api %}, and an API that serves the model{% endif %}."""

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO) -> None:
    """Send log records of every module in this package to stderr in one format."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
