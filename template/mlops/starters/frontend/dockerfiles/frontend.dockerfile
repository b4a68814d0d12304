# Frontend image: docker build -f dockerfiles/frontend.dockerfile -t frontend:latest .
# It holds only the Streamlit page and its packages (no torch, no model) and calls the API at $API_URL.
{%- if dependency_manager == "uv" %}
FROM python:{{ python_version }}-slim-trixie
COPY --from=ghcr.io/astral-sh/uv:0.13 /uv /uvx /bin/

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /app

# The frontend dependency group only, as uv.lock pins it.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --locked --only-group frontend --no-install-project

ENV PATH="/app/.venv/bin:$PATH"
{%- else %}
FROM python:{{ python_version }}-slim-trixie

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app

COPY requirements-frontend.txt ./
RUN pip install -r requirements-frontend.txt
{%- endif %}

COPY frontend/ frontend/

ENV API_URL=http://127.0.0.1:8000
EXPOSE 8501
CMD ["sh", "-c", "exec streamlit run frontend/app.py --server.headless true --server.address 0.0.0.0 --server.port ${PORT:-8501} --browser.gatherUsageStats false"]
