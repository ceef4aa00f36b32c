# Production image: the compiled front end is built with Node, the app runs on Python.
FROM node:20-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ascm.settings.production
WORKDIR /app
# Pango and fonts for WeasyPrint (documents as tagged PDFs).
RUN apt-get update && apt-get install -y --no-install-recommends curl libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY requirements ./requirements
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
COPY --from=frontend /app/build ./build
# collectstatic needs settings to load, not real secrets.
RUN DJANGO_SECRET_KEY=build DATABASE_URL=sqlite:////tmp/build.db CELERY_BROKER_URL=redis://build:6379/0 \
    python manage.py collectstatic --noinput -v0
RUN useradd --system --uid 1000 ascm && mkdir -p /app/media && chown -R ascm /app
USER ascm
EXPOSE 8000
CMD ["gunicorn", "ascm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
