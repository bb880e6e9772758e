FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build DJANGO_SETTINGS_MODULE=config.settings.base python manage.py compilemessages -v0 --ignore '*/site-packages/*'
RUN useradd --system sanfang && mkdir -p /var/lib/sanfang && chown sanfang /var/lib/sanfang
USER sanfang
EXPOSE 8000
