"""{{ cookiecutter.project_name }}."""

__version__ = "{{ cookiecutter.version }}"
